using System.Collections.Concurrent;
using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Communities;

namespace ProgressGrains.Grains.Tests;

/// <summary>The silo's relay of member contributions: batches per community, and each sender learns its own call's fate.</summary>
public sealed class ContributionRelayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<(string Community, ImmutableArray<MemberContribution> Batch)> _calls = new();

    [Fact]
    public async Task WhileACallIsOnItsWay_LaterContributionsWait_ThenGoTogether()
    {
        var gate = NewGate();
        var relay = Relay(async (_, call) =>
        {
            if (call == 1)
            {
                await gate.Task;
            }
        });

        var first = relay.Send("c-1", Contribution("m1", 1));
        await Until(() => _calls.Count == 1);
        var later = new[] { relay.Send("c-1", Contribution("m2", 1)), relay.Send("c-1", Contribution("m3", 1)), relay.Send("c-1", Contribution("m1", 2)) };

        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(first.IsCompleted);
        Assert.All(later, t => Assert.False(t.IsCompleted));
        Assert.Single(_calls);

        gate.SetResult();
        await Task.WhenAll(later.Append(first)).WaitAsync(Wait, TestContext.Current.CancellationToken);

        Assert.Equal(
            [["m1:1"], ["m2:1", "m3:1", "m1:2"]],
            _calls.Select(c => c.Batch.Select(x => $"{x.MemberId}:{x.Version}").ToArray()).ToArray());
    }

    [Fact]
    public async Task AFailedCall_FailsTheSendsItCarried_AndTheNextSendsGoInANewCall()
    {
        var gate = NewGate();
        var relay = Relay(async (_, call) =>
        {
            if (call == 1)
            {
                await gate.Task;
                throw new TimeoutException("the community did not answer");
            }
        });

        var carried = relay.Send("c-1", Contribution("m1", 1));
        await Until(() => _calls.Count == 1);
        var next = relay.Send("c-1", Contribution("m2", 1));
        gate.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => carried.WaitAsync(Wait, TestContext.Current.CancellationToken));
        await next.WaitAsync(Wait, TestContext.Current.CancellationToken);
        await relay.Send("c-1", Contribution("m1", 2)).WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal(3, _calls.Count);
    }

    [Fact]
    public async Task ACommunityThatIsSlowToAnswer_HoldsUpNoOther()
    {
        var gate = NewGate();
        var relay = Relay(async (community, _) =>
        {
            if (community == "c-1")
            {
                await gate.Task;
            }
        });

        var slow = relay.Send("c-1", Contribution("m1", 1));
        await relay.Send("c-2", Contribution("m2", 1)).WaitAsync(Wait, TestContext.Current.CancellationToken);

        Assert.False(slow.IsCompleted);
        gate.SetResult();
        await slow.WaitAsync(Wait, TestContext.Current.CancellationToken);
    }

    /// <summary>A relay whose community calls are recorded, then behave as <paramref name="call"/> says (given the community and the call's number, from 1).</summary>
    private ContributionRelay Relay(Func<string, int, Task> call) => new((community, batch) =>
    {
        _calls.Enqueue((community, batch));
        return call(community, _calls.Count);
    });

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static MemberContribution Contribution(string member, long version) => new()
    {
        Profile = new MemberProfile(member, member, "c-1", "g", null, MemberFlags.None),
        SeasonId = "s",
        Version = version,
    };

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;
using ProgressGrains.Contracts.Subdistricts;

namespace ProgressGrains.Grains.Tests;

/// <summary>
/// Grains that call each other from their own turns. Orleans runs one call at a time per grain
/// unless a call may interleave, so two grains each waiting on a call into the other wait until the
/// response timeout (30 s), and everything queued behind them waits too. Each test makes the
/// overlap certain (a storage that can hold one grain's write) and checks that both calls finish.
/// </summary>
/// <remarks>
/// Member and community: an admin assigns a squad volunteer (the community tells the member) while
/// that member's event waits for the community to take its contribution. Community and
/// subdistrict: a community defines itself (and registers with its subdistrict) while the
/// subdistrict's rollup asks that community.
/// </remarks>
public sealed class CallCycleTests : IAsyncLifetime
{
    private const string CommunityId = "c-assign";
    private const string MemberId = "m-assign";
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    private InProcessTestCluster? _cluster;

    private IGrainFactory Grains => _cluster!.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GatedStorage.Inner);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Progress,
                (services, _) => new GatedStorage(services.GetRequiredKeyedService<IGrainStorage>(GatedStorage.Inner)));
            silo.Services.AddProgressGrains();
            // No flush timer writes during the test: each community write seen is the assignment's.
            silo.Services.Configure<RollupOptions>(o => o.FlushInterval = TimeSpan.FromHours(1));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await Grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).UpsertSeason(ClusterFixture.Season, makeCurrent: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnAdminAssignsAVolunteer_WhileTheMemberRecordsAnEvent_BothFinishAtOnce()
    {
        var community = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(CommunityId));
        var member = Grains.GetGrain<IMemberGrain>(GrainKeys.Member(MemberId));
        await community.Define(new CommunityDefinition(CommunityId, "Assign", "sd-assign", ["g1"]));
        await community.Enroll([new RosterEntry(MemberId, "Member", "g1", MemberFlags.Elderly, 1948)]);
        await member.Enroll(new MemberProfile(MemberId, "Member", CommunityId, "g1", 1948, MemberFlags.Elderly));
        await community.RegisterVolunteers([new SquadVolunteer("v1", "Volunteer One", "g1")]);
        await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", null, null)); // the community knows the member's contribution

        // The member's next write is held, so its event is inside its turn when the admin acts.
        var memberWriting = GatedStorage.Hold(MemberId);
        var lesson = member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, null, null));
        await memberWriting.Reached.Task.WaitAsync(Quick, TestContext.Current.CancellationToken);

        // The assignment starts its turn in the community (its first write is the new case) before the member's event goes on.
        var communityWriting = GatedStorage.Watch(CommunityId);
        var started = Stopwatch.StartNew();
        var assignment = community.AssignOutreach(MemberId, "v1", "admin-1", null);
        await communityWriting.WaitAsync(Quick, TestContext.Current.CancellationToken);
        memberWriting.Release();

        var finished = Task.WhenAll(lesson, assignment);
        var first = await Task.WhenAny(finished, Task.Delay(Quick, TestContext.Current.CancellationToken));
        Assert.True(first == finished,
            $"after {started.Elapsed.TotalSeconds:F1} s the lesson is {Describe(lesson)} and the assignment is {Describe(assignment)}: the member and the community wait for each other");
        await finished;

        Assert.Equal(OutreachCaseStatus.Assigned, (await assignment).Status);
        Assert.Equal(2 + 10, (await lesson).TotalPoints);
        Assert.Equal(1, GatedStorage.MostWritesAtOnce(MemberId));

        // Both were written: a fresh activation knows its volunteer (a home delivery by v1 counts), and the community has both lessons.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var delivered = await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.HomeDelivery, "v1", null, null));
        Assert.Equal(5, delivered.PointsAwarded);
        var rollup = await community.GetRollup(null);
        Assert.Equal(2 + 10 + 5, rollup.Totals.TotalPoints);
        Assert.Equal(2, rollup.Totals.TotalLessonCompletions);
    }

    [Fact]
    public async Task TheVolunteerArrivesWhileAnEventIsBeingWritten_AndIsWrittenAfterIt_NotBesideIt()
    {
        const string memberId = "m-overlap";
        var member = Grains.GetGrain<IMemberGrain>(GrainKeys.Member(memberId));
        await member.Enroll(new MemberProfile(memberId, "Member", "c-overlap", "g1", 1950, MemberFlags.None));

        var memberWriting = GatedStorage.Hold(memberId);
        var lesson = member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, null, null));
        await memberWriting.Reached.Task.WaitAsync(Quick, TestContext.Current.CancellationToken);

        // The call interleaves with the event (it does not wait for the event's turn), but its write waits for the event's.
        var volunteer = member.SetOutreachVolunteer("v9");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(volunteer.IsCompleted, "the volunteer was written while the event's write was still in flight");

        memberWriting.Release();
        await Task.WhenAll(lesson, volunteer).WaitAsync(Quick, TestContext.Current.CancellationToken);
        Assert.Equal(1, GatedStorage.MostWritesAtOnce(memberId));

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var delivered = await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.HomeDelivery, "v9", null, null));
        Assert.Equal(2, (await member.GetProgress(null)).Lessons.Length);
        Assert.Equal(10 + 5, delivered.TotalPoints);
    }

    [Fact]
    public async Task ACommunityDefinesItself_WhileItsSubdistrictsRollupAsksIt_BothFinishAtOnce()
    {
        const string subdistrictId = "sd-cycle";
        var subdistrict = Grains.GetGrain<ISubdistrictGrain>(subdistrictId);
        var first = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community("c-cycle-1"));
        await first.Define(new CommunityDefinition("c-cycle-1", "One", subdistrictId, ["g1"]));
        Assert.Single((await subdistrict.GetRollup(null)).Communities);

        // The community's definition is held in its write, inside its turn, before it registers.
        var communityWriting = GatedStorage.Hold("c-cycle-1");
        var started = Stopwatch.StartNew();
        var define = first.Define(new CommunityDefinition("c-cycle-1", "One, renamed", subdistrictId, ["g1", "g2"]));
        await communityWriting.Reached.Task.WaitAsync(Quick, TestContext.Current.CancellationToken);

        // The subdistrict's rollup starts its turn and asks the community, which is busy defining itself.
        var rollup = subdistrict.GetRollup(null);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        communityWriting.Release();

        var finished = Task.WhenAll(define, rollup);
        var done = await Task.WhenAny(finished, Task.Delay(Quick, TestContext.Current.CancellationToken));
        Assert.True(done == finished,
            $"after {started.Elapsed.TotalSeconds:F1} s the definition is {Describe(define)} and the rollup is {Describe(rollup)}: the community and the subdistrict wait for each other");
        await finished;
        Assert.Equal("One, renamed", Assert.Single((await subdistrict.GetRollup(null)).Communities).Community.Name);
    }

    private static string Describe(Task task) => task.IsCompleted ? task.Status.ToString().ToLowerInvariant() : "still waiting";

    /// <summary>Memory storage whose writes of a chosen grain can be held, and whose writes can be watched.</summary>
    private sealed class GatedStorage(IGrainStorage inner) : IGrainStorage
    {
        public const string Inner = "gated-inner";

        private static readonly ConcurrentDictionary<string, Gate> Held = new();
        private static readonly ConcurrentDictionary<string, TaskCompletionSource> Watched = new();
        private static readonly ConcurrentDictionary<string, InFlight> Writes = new();

        public static Gate Hold(string key) => Held[key] = new Gate();

        public static Task Watch(string key) => (Watched[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        /// <summary>The most writes of the grain that were ever in flight at the same time.</summary>
        public static int MostWritesAtOnce(string key) => Writes.GetValueOrDefault(key)?.Most ?? 0;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = grainId.Key.ToString()!;
            var writes = Writes.GetOrAdd(key, _ => new InFlight());
            writes.Enter();
            try
            {
                if (Watched.TryRemove(key, out var watched))
                {
                    watched.TrySetResult();
                }

                if (Held.TryRemove(key, out var gate))
                {
                    gate.Reached.TrySetResult();
                    await gate.Released.Task;
                }

                await inner.WriteStateAsync(stateName, grainId, grainState);
            }
            finally
            {
                writes.Leave();
            }
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private sealed class InFlight
    {
        private int _now;
        private int _most;

        public int Most => Volatile.Read(ref _most);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _now);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }

    private sealed class Gate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}

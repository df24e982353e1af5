using System.Collections.Concurrent;
using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Communities;

/// <summary>
/// Carries the members' contributions of one silo to their communities, many per call: at most one
/// call per community is on its way, and what members send meanwhile goes together in the next
/// (<see cref="ICommunityGrain.ApplyAll"/>). Nothing waits for a timer, so a lone contribution
/// leaves at once; under load a community takes one call per batch instead of one per event.
/// </summary>
/// <remarks>
/// Each sender's task completes when the call that carried its contribution returned, and fails
/// when that call failed, so a member still knows whether its community took the contribution
/// (and sends it again later if not). A member awaits its send before its next event, so at most
/// one contribution per active member is waiting here.
/// </remarks>
internal sealed class ContributionRelay
{
    private readonly Func<string, ImmutableArray<MemberContribution>, Task> _deliver;
    private readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);

    public ContributionRelay(IGrainFactory grains)
        : this((communityId, batch) => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).ApplyAll(batch))
    {
    }

    /// <summary>For tests: <paramref name="deliver"/> stands for the community's <see cref="ICommunityGrain.ApplyAll"/>.</summary>
    internal ContributionRelay(Func<string, ImmutableArray<MemberContribution>, Task> deliver) => _deliver = deliver;

    /// <summary>Completes once the community took <paramref name="contribution"/> (with the others of its call).</summary>
    public Task Send(string communityId, MemberContribution contribution) =>
        _outboxes.GetOrAdd(communityId, static (id, relay) => new Outbox(id, relay._deliver), this).Send(contribution);

    private sealed class Outbox(string communityId, Func<string, ImmutableArray<MemberContribution>, Task> deliver)
    {
        private readonly Lock _lock = new();
        private readonly ImmutableArray<MemberContribution>.Builder _waiting = ImmutableArray.CreateBuilder<MemberContribution>();
        private TaskCompletionSource _taken = NewCompletion();
        private bool _sending;

        public Task Send(MemberContribution contribution)
        {
            lock (_lock)
            {
                _waiting.Add(contribution);
                var taken = _taken.Task;
                if (!_sending)
                {
                    _sending = true;
                    // Off the sender's grain context: the calls are the relay's, not the member's,
                    // and the loop must not run on (and hold up) one member's scheduler.
                    _ = Task.Run(Deliver);
                }

                return taken;
            }
        }

        private async Task Deliver()
        {
            while (true)
            {
                ImmutableArray<MemberContribution> batch;
                TaskCompletionSource taken;
                lock (_lock)
                {
                    if (_waiting.Count == 0)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _waiting.DrainToImmutable();
                    taken = _taken;
                    _taken = NewCompletion();
                }

                try
                {
                    await deliver(communityId, batch).ConfigureAwait(false);
                    taken.TrySetResult();
                }
                catch (Exception ex)
                {
                    taken.TrySetException(ex);
                }
            }
        }

        // Senders continue on their own schedulers, not inline on this loop.
        private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

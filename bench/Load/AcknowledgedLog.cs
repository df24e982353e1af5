using System.Collections.Concurrent;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// What the clients were told, for verification afterwards: every acknowledged event (warm-up
/// included), every event given up after failing (it may or may not be stored), and the deliberate
/// resends of acknowledged events with whether each was answered duplicate.
/// </summary>
public sealed class AcknowledgedLog
{
    private readonly ConcurrentDictionary<Guid, PlannedEvent> _acknowledged = new();
    private readonly ConcurrentDictionary<Guid, PlannedEvent> _givenUp = new();
    private readonly ConcurrentQueue<string> _resendProblems = new();
    private int _resends;
    private int _resendsDuplicate;
    private int _firstAnswersDuplicate;

    public IReadOnlyCollection<PlannedEvent> Acknowledged => (IReadOnlyCollection<PlannedEvent>)_acknowledged.Values;

    public IReadOnlyCollection<PlannedEvent> GivenUp => (IReadOnlyCollection<PlannedEvent>)_givenUp.Values;

    public int Resends => _resends;

    public int ResendsAnsweredDuplicate => _resendsDuplicate;

    /// <summary>Resends answered as new events: a resent id must change nothing.</summary>
    public IReadOnlyCollection<string> ResendProblems => _resendProblems;

    /// <summary>Events whose first acknowledgement already said duplicate (a retry after an attempt that was stored but not answered).</summary>
    public int FirstAnswersDuplicate => _firstAnswersDuplicate;

    public bool IsAcknowledged(Guid eventId) => _acknowledged.ContainsKey(eventId);

    public bool WasGivenUp(Guid eventId) => _givenUp.ContainsKey(eventId);

    public void Acknowledge(PlannedEvent planned, bool duplicate)
    {
        _acknowledged[planned.EventId] = planned;
        if (duplicate)
        {
            Interlocked.Increment(ref _firstAnswersDuplicate);
        }
    }

    public void GiveUp(PlannedEvent planned) => _givenUp[planned.EventId] = planned;

    public void Resent(PlannedEvent planned, bool duplicate)
    {
        Interlocked.Increment(ref _resends);
        if (duplicate)
        {
            Interlocked.Increment(ref _resendsDuplicate);
        }
        else
        {
            _resendProblems.Enqueue($"resent event {planned.EventId} ({planned.Kind} {planned.Target} of {planned.Member.MemberId}) was not answered duplicate");
        }
    }
}

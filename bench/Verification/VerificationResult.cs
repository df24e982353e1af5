namespace ProgressGrains.Bench.Verification;

/// <summary>
/// Whether every acknowledged event is stored exactly once: <see cref="Missing"/> acknowledged but
/// not found, <see cref="Doubled"/> found more than once, <see cref="Unexpected"/> stored though
/// never sent successfully nor given up, <see cref="CounterMismatches"/> members whose counters do
/// not add up to what was acknowledged, plus resends not answered duplicate.
/// </summary>
public sealed record VerificationResult(
    string System,
    string Method,
    int Acknowledged,
    int FoundOnce,
    int Missing,
    int Doubled,
    int Unexpected,
    int CounterMismatches,
    int Resends,
    int ResendsNotDuplicate,
    int GivenUp,
    IReadOnlyList<string> Problems)
{
    public bool Ok => Missing == 0 && Doubled == 0 && Unexpected == 0 && CounterMismatches == 0 && ResendsNotDuplicate == 0;

    public override string ToString() =>
        $"{System}: {(Ok ? "OK" : "FAILED")} ({Method}): acknowledged {Acknowledged}, stored exactly once {FoundOnce}, missing {Missing}, doubled {Doubled}, "
        + $"unexpected {Unexpected}, members with wrong counters {CounterMismatches}, resends {Resends} ({ResendsNotDuplicate} not answered duplicate), given up {GivenUp}";
}

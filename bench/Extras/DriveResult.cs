using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Extras;

/// <summary>What <see cref="MemberDriver"/> did: how long it took, the events' latencies, the members that failed.</summary>
public sealed record DriveResult(int Members, TimeSpan Elapsed, LatencySummary EventLatency, int GivenUp, string? FirstFailure)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Members / Elapsed.TotalSeconds : 0;

    public string Describe() => FormattableString.Invariant(
        $"{Members} members in {Elapsed.TotalSeconds:F1} s ({PerSecond:F0}/s), event p50 {EventLatency.P50:F1} ms, p99 {EventLatency.P99:F1} ms")
        + (GivenUp > 0 ? $", {GivenUp} FAILED (first: {FirstFailure})" : "");
}

using System.Diagnostics;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// Every latency of a phase, kept whole (a phase has at most a few hundred thousand), so the
/// percentiles are exact rather than read off a histogram.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = [];

    public int Count
    {
        get
        {
            lock (_ticks)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Records the time since <paramref name="startedTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Record(long startedTimestamp, long endedTimestamp)
    {
        lock (_ticks)
        {
            _ticks.Add(endedTimestamp - startedTimestamp);
        }
    }

    public LatencySummary Summarize()
    {
        long[] sorted;
        lock (_ticks)
        {
            sorted = [.. _ticks];
        }

        Array.Sort(sorted);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double At(double quantile) => sorted.Length == 0 ? 0 : Ms(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)]);
        return new LatencySummary(sorted.Length, At(0.50), At(0.95), At(0.99), sorted.Length == 0 ? 0 : Ms(sorted[^1]));
    }
}

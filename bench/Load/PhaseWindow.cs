using System.Diagnostics;

namespace ProgressGrains.Bench.Load;

/// <summary>The clock of a phase: warm-up, then the measured window; callers stop starting work after it.</summary>
public sealed class PhaseWindow
{
    private readonly long _measureFrom;
    private readonly long _measureUntil;

    private PhaseWindow(TimeSpan warmup, TimeSpan duration)
    {
        var now = Stopwatch.GetTimestamp();
        _measureFrom = now + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        _measureUntil = _measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    }

    public static PhaseWindow Start(TimeSpan warmup, TimeSpan duration) => new(warmup, duration);

    public bool Running => Stopwatch.GetTimestamp() < _measureUntil;

    /// <summary>Whether an operation that ended at <paramref name="endedTimestamp"/> counts.</summary>
    public bool Counts(long endedTimestamp) => endedTimestamp >= _measureFrom && endedTimestamp < _measureUntil;
}

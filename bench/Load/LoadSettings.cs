namespace ProgressGrains.Bench.Load;

/// <summary>
/// A closed loop: <see cref="Concurrency"/> callers, each sending its next request once the previous
/// one is answered, for <see cref="Warmup"/> (not counted) and then <see cref="Duration"/>.
/// </summary>
public sealed record LoadSettings(int Concurrency, TimeSpan Warmup, TimeSpan Duration)
{
    /// <summary>Attempts per event, all with the same event id, while the answer is Unavailable or DeadlineExceeded.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Share of acknowledged events sent once more on purpose, to check they answer duplicate.</summary>
    public double ResendFraction { get; init; } = 0.01;
}

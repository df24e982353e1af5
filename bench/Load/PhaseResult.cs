using Grpc.Core;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// One measured phase: operations completed inside the measured window (warm-up excluded) per
/// second, their latencies, and every failed attempt by status code (retried ones included).
/// </summary>
public sealed record PhaseResult(
    string System,
    string Protocol,
    string Phase,
    int Operations,
    double Seconds,
    LatencySummary Latency,
    IReadOnlyDictionary<StatusCode, int> Errors,
    int GivenUp,
    string? Note = null)
{
    public double PerSecond => Seconds > 0 ? Operations / Seconds : 0;

    /// <summary>Per metered process (see <see cref="Harness.CpuMeter"/>): CPU milliseconds it used in the measured window, per operation counted.</summary>
    public IReadOnlyDictionary<string, double> CpuMsPerOperation { get; init; } = new Dictionary<string, double>();

    public int ErrorCount => Errors.Values.Sum();
}

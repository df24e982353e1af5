namespace ProgressGrains.Bench.Harness;

/// <summary>A program of the benchmark did not start; <see cref="Output"/> is what it wrote last.</summary>
public sealed class ChildProcessFailedException(string message, string output) : Exception(message)
{
    public string Output { get; } = output;

    /// <summary>Whether it failed only because another program took one of its ports first.</summary>
    public bool PortTaken => Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}

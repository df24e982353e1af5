using System.Collections.Concurrent;

namespace ProgressGrains.Bench.Verification;

/// <summary>The first problems found, in words (a few are enough to start looking).</summary>
internal sealed class ProblemList
{
    private const int Kept = 10;
    private readonly ConcurrentQueue<string> _problems = new();

    public void Add(string problem)
    {
        if (_problems.Count < Kept)
        {
            _problems.Enqueue(problem);
        }
    }

    public IReadOnlyList<string> ToList() => [.. _problems];
}

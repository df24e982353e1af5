namespace ProgressGrains.Bench.Harness;

/// <summary>What the results depend on about the PostgreSQL server.</summary>
public sealed record ServerFacts(string Version, string Fsync, string SynchronousCommit, string MaxConnections);

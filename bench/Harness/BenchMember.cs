namespace ProgressGrains.Bench.Harness;

/// <summary>A member on the benchmark's roster.</summary>
public sealed record BenchMember(int Index, string MemberId, string CommunityId, string GridId);

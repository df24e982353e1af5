namespace ProgressGrains.Bench.Baseline;

/// <summary>A community's running totals.</summary>
public sealed record CommunityRow(string CommunityId, int EnrolledMembers, long TotalPoints, long TotalLessons, long TotalCheckIns, long TotalQuizAttempts, DateTimeOffset? UpdatedAt);

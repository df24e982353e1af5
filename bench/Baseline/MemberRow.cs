namespace ProgressGrains.Bench.Baseline;

/// <summary>A member's row and the lessons they completed.</summary>
public sealed record MemberRow(string MemberId, string CommunityId, int Points, int LessonsCompleted, int CheckIns, int QuizAttempts,
    DateTimeOffset? LastActivityAt, IReadOnlyList<string> Lessons);

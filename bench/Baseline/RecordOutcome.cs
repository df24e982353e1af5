namespace ProgressGrains.Bench.Baseline;

/// <summary>What recording an event did: the member's counters after it, and whether it was a duplicate.</summary>
public sealed record RecordOutcome(bool Duplicate, int PointsAwarded, int TotalPoints, int LessonsCompleted, int CheckIns, int QuizAttempts);

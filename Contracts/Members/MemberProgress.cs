using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Members;

/// <summary>A member's progress in one season.</summary>
[GenerateSerializer, Immutable, Alias("pg.MemberProgress")]
public sealed record MemberProgress
{
    [Id(0)] public required MemberProfile Profile { get; init; }
    [Id(1)] public required string SeasonId { get; init; }
    [Id(2)] public int Points { get; init; }
    [Id(3)] public int RequiredLessons { get; init; }
    [Id(4)] public int CompletedRequiredLessons { get; init; }
    [Id(5)] public ImmutableArray<LessonCompletionRecord> Lessons { get; init; } = [];
    [Id(6)] public int CheckIns { get; init; }
    [Id(7)] public DateTimeOffset? LastActivityAt { get; init; }
    [Id(8)] public ImmutableArray<ReflectionSummary> Reflections { get; init; } = [];
    [Id(9)] public int QuizAttempts { get; init; }
    [Id(10)] public double VolunteerHours { get; init; }
    [Id(11)] public int CurrentStreak { get; init; }
    [Id(12)] public int LongestStreak { get; init; }

    public double Progress => Rules.Progress(CompletedRequiredLessons, RequiredLessons);

    public bool Completed => Rules.IsCompleted(CompletedRequiredLessons, RequiredLessons);
}

/// <summary>A lesson a member completed.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.LessonCompletionRecord")]
public sealed record LessonCompletionRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string LessonId,
    [property: Id(2)] LessonChannel Channel,
    [property: Id(3)] string? DeliveredBy,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] int Points);

/// <summary>A counted check-in at a study site.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.CheckInRecord")]
public sealed record CheckInRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] int Points);

/// <summary>
/// One award or reversal of points, with its reason and the rule that set it. Streak bonuses have
/// no event of their own (<see cref="Guid.Empty"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] int Points,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] ActivityKind Kind = ActivityKind.Unspecified,
    [property: Id(5)] string Rule = "");

/// <summary>A quiz attempt; <see cref="Value"/> is what the score is worth before the attempt rule and caps.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.QuizAttemptRecord")]
public sealed record QuizAttemptRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string QuizId,
    [property: Id(2)] int Score,
    [property: Id(3)] int MaxScore,
    [property: Id(4)] int Value,
    [property: Id(5)] DateTimeOffset OccurredAt);

/// <summary>A reflection and its moderation so far.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.ReflectionRecord")]
public sealed record ReflectionRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] ReflectionStatus Status,
    [property: Id(4)] ImmutableArray<ModerationRecord> History);

/// <summary>A moderation decision; <see cref="Points"/> is what it awards before caps.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.ModerationRecord")]
public sealed record ModerationRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] ModerationDecision Decision,
    [property: Id(2)] string ModeratorId,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] int Points);

/// <summary>Volunteer service; <see cref="Points"/> is what it awards before caps.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.VolunteerRecord")]
public sealed record VolunteerRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Activity,
    [property: Id(2)] double Hours,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] int Points);

/// <summary>An event voided by an admin.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("pg.VoidRecord")]
public sealed record VoidRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? ActorId,
    [property: Id(3)] DateTimeOffset At);

/// <summary>A page of a member's points ledger in one season.</summary>
[GenerateSerializer, Immutable, Alias("pg.LedgerPage")]
public sealed record LedgerPage(
    [property: Id(0)] string SeasonId,
    [property: Id(1)] ImmutableArray<LedgerEntry> Entries,
    [property: Id(2)] int TotalSize,
    [property: Id(3)] int Points);

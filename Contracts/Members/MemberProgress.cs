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

    public double Progress => Rules.Progress(CompletedRequiredLessons, RequiredLessons);

    public bool Completed => Rules.IsCompleted(CompletedRequiredLessons, RequiredLessons);
}

/// <summary>A lesson a member completed.</summary>
[GenerateSerializer, Immutable, Alias("pg.LessonCompletionRecord")]
public sealed record LessonCompletionRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string LessonId,
    [property: Id(2)] LessonChannel Channel,
    [property: Id(3)] string? DeliveredBy,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] int Points);

/// <summary>A counted check-in at a study site.</summary>
[GenerateSerializer, Immutable, Alias("pg.CheckInRecord")]
public sealed record CheckInRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] int Points);

/// <summary>One award (or, later, reversal) of points, with its reason.</summary>
[GenerateSerializer, Immutable, Alias("pg.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] int Points,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset At);

/// <summary>A page of a member's points ledger in one season.</summary>
[GenerateSerializer, Immutable, Alias("pg.LedgerPage")]
public sealed record LedgerPage(
    [property: Id(0)] string SeasonId,
    [property: Id(1)] ImmutableArray<LedgerEntry> Entries,
    [property: Id(2)] int TotalSize,
    [property: Id(3)] int Points);

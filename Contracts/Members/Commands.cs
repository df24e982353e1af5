namespace ProgressGrains.Contracts.Members;

/// <summary>A member completed a lesson. <see cref="EventId"/> is the client's idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("pg.CompleteLessonCommand")]
public sealed record CompleteLessonCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string LessonId,
    [property: Id(2)] LessonChannel Channel,
    [property: Id(3)] string? DeliveredBy,
    [property: Id(4)] DateTimeOffset? OccurredAt,
    [property: Id(5)] string? SeasonId);

/// <summary>A member checked in at a study site. <see cref="EventId"/> is the client's idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("pg.CheckInCommand")]
public sealed record CheckInCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] DateTimeOffset? OccurredAt,
    [property: Id(3)] string? SeasonId);

/// <summary>The outcome of a lesson completion.</summary>
[GenerateSerializer, Immutable, Alias("pg.LessonResult")]
public sealed record LessonResult(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] int PointsAwarded,
    [property: Id(3)] bool AlreadyCompleted,
    [property: Id(4)] int TotalPoints,
    [property: Id(5)] double Progress);

/// <summary>The outcome of a check-in.</summary>
[GenerateSerializer, Immutable, Alias("pg.CheckInResult")]
public sealed record CheckInResult(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] int PointsAwarded,
    [property: Id(3)] bool Counted,
    [property: Id(4)] int TotalPoints,
    [property: Id(5)] int CheckIns);

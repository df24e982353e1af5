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

/// <summary>A member's attempt at a quiz.</summary>
[GenerateSerializer, Immutable, Alias("pg.QuizAttemptCommand")]
public sealed record QuizAttemptCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string QuizId,
    [property: Id(2)] int Score,
    [property: Id(3)] int MaxScore,
    [property: Id(4)] DateTimeOffset? OccurredAt,
    [property: Id(5)] string? SeasonId);

/// <summary>A member submits a reflection (微感悟); it earns points once approved.</summary>
[GenerateSerializer, Immutable, Alias("pg.ReflectionCommand")]
public sealed record ReflectionCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset? OccurredAt,
    [property: Id(3)] string? SeasonId);

/// <summary>A member reports volunteer service (我为群众办实事, patrols, publicity, errands ...).</summary>
[GenerateSerializer, Immutable, Alias("pg.VolunteerCommand")]
public sealed record VolunteerCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Activity,
    [property: Id(2)] double Hours,
    [property: Id(3)] DateTimeOffset? OccurredAt,
    [property: Id(4)] string? SeasonId);

/// <summary>A community admin's decision on one of the member's reflections.</summary>
[GenerateSerializer, Immutable, Alias("pg.ModerateReflectionCommand")]
public sealed record ModerateReflectionCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] Guid ReflectionId,
    [property: Id(2)] ModerationDecision Decision,
    [property: Id(3)] string ModeratorId);

/// <summary>An admin voids one of the member's events: its points and rollup effect are reversed, once.</summary>
[GenerateSerializer, Immutable, Alias("pg.VoidEventCommand")]
public sealed record VoidEventCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? ActorId);

/// <summary>The outcome of a quiz attempt, reflection, volunteering, moderation or void.</summary>
[GenerateSerializer, Immutable, Alias("pg.ActivityResult")]
public sealed record ActivityResult(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] int PointsAwarded,
    [property: Id(3)] int TotalPoints,
    [property: Id(4)] string? Note);

using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Members;

/// <summary>
/// A member's whole share of their community's rollup for one season. Sent after every change with
/// the member's <see cref="Version"/>: a community keeps the highest version it has seen per member,
/// so a retried, re-sent or reordered contribution is never counted twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.MemberContribution")]
public sealed record MemberContribution
{
    [Id(0)] public required MemberProfile Profile { get; init; }
    [Id(1)] public required string SeasonId { get; init; }
    [Id(2)] public long Version { get; init; }
    [Id(3)] public int Points { get; init; }
    [Id(4)] public int CheckIns { get; init; }
    [Id(5)] public int RequiredLessons { get; init; }
    [Id(6)] public int CompletedRequiredLessons { get; init; }
    [Id(7)] public ImmutableArray<string> CompletedLessonIds { get; init; } = [];
    [Id(8)] public DateTimeOffset? LastActivityAt { get; init; }
    [Id(9)] public ImmutableArray<ReflectionSummary> Reflections { get; init; } = [];
    [Id(10)] public double VolunteerHours { get; init; }
    [Id(11)] public int QuizAttempts { get; init; }

    /// <summary>Lessons delivered at home (送学上门), not voided.</summary>
    [Id(12)] public int HomeDeliveries { get; init; }

    /// <summary>When the member stored the change this contribution carries (wall clock), for the rollup-lag metric.</summary>
    [Id(13)] public DateTimeOffset? CommittedAt { get; init; }

    /// <summary>The lessons completed (first completion of each, not voided): channel and time, for analysts' breakdowns.</summary>
    [Id(14)] public ImmutableArray<LessonDone> Lessons { get; init; } = [];

    /// <summary>When the last required lesson was completed (the member completed the season), if they did.</summary>
    [Id(15)] public DateTimeOffset? CompletedAt { get; init; }

    public string MemberId => Profile.MemberId;

    public bool Completed => Rules.IsCompleted(CompletedRequiredLessons, RequiredLessons);
}

/// <summary>A reflection as its community sees it for moderation and the featured list.</summary>
[GenerateSerializer, Immutable, Alias("pg.ReflectionSummary")]
public sealed record ReflectionSummary(
    [property: Id(0)] Guid ReflectionId,
    [property: Id(1)] ReflectionStatus Status,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] string Text);

/// <summary>A lesson a member completed: which, how, when.</summary>
[GenerateSerializer, Immutable, Alias("pg.LessonDone")]
public sealed record LessonDone(
    [property: Id(0)] string LessonId,
    [property: Id(1)] LessonChannel Channel,
    [property: Id(2)] DateTimeOffset OccurredAt);

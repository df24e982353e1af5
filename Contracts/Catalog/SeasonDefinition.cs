using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Catalog;

/// <summary>A winter-training season: its curriculum, study sites and points rules.</summary>
[GenerateSerializer, Immutable, Alias("pg.SeasonDefinition")]
public sealed record SeasonDefinition
{
    [Id(0)] public required string SeasonId { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>The IANA zone whose calendar days count for daily rules.</summary>
    [Id(2)] public string TimeZone { get; init; } = "Asia/Shanghai";
    [Id(3)] public DateTimeOffset StartsAt { get; init; }
    [Id(4)] public DateTimeOffset EndsAt { get; init; }
    [Id(5)] public ImmutableArray<TopicDefinition> Topics { get; init; } = [];
    [Id(6)] public ImmutableArray<LessonDefinition> Lessons { get; init; } = [];
    [Id(7)] public ImmutableArray<SiteDefinition> Sites { get; init; } = [];
    [Id(8)] public PointsRules Rules { get; init; } = new();

    public int RequiredLessonCount => Lessons.Count(l => l.Required);
}

[GenerateSerializer, Immutable, Alias("pg.TopicDefinition")]
public sealed record TopicDefinition(
    [property: Id(0)] string TopicId,
    [property: Id(1)] string Title);

[GenerateSerializer, Immutable, Alias("pg.LessonDefinition")]
public sealed record LessonDefinition(
    [property: Id(0)] string LessonId,
    [property: Id(1)] string TopicId,
    [property: Id(2)] string Title,
    [property: Id(3)] LessonKind Kind,
    [property: Id(4)] bool Required,
    [property: Id(5)] int Points);

[GenerateSerializer, Immutable, Alias("pg.SiteDefinition")]
public sealed record SiteDefinition(
    [property: Id(0)] string SiteId,
    [property: Id(1)] string Name,
    [property: Id(2)] SiteKind Kind,
    [property: Id(3)] string? CommunityId);

/// <summary>How points are awarded in a season.</summary>
[GenerateSerializer, Immutable, Alias("pg.PointsRules")]
public sealed record PointsRules
{
    /// <summary>Points for a counted check-in (at most one per site per calendar day).</summary>
    [Id(0)] public int CheckInPoints { get; init; } = 1;
}

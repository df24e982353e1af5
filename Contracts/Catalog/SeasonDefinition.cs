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
    [Id(9)] public ImmutableArray<QuizDefinition> Quizzes { get; init; } = [];
    [Id(10)] public Outreach.OutreachRules Outreach { get; init; } = new();

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

/// <summary>An online knowledge quiz (线上知识竞赛); a full score earns <see cref="Points"/>.</summary>
[GenerateSerializer, Immutable, Alias("pg.QuizDefinition")]
public sealed record QuizDefinition(
    [property: Id(0)] string QuizId,
    [property: Id(1)] string TopicId,
    [property: Id(2)] string Title,
    [property: Id(3)] int Points);

/// <summary>How points are awarded in a season: rules as data.</summary>
[GenerateSerializer, Immutable, Alias("pg.PointsRules")]
public sealed record PointsRules
{
    /// <summary>Points for a counted check-in (at most one per site per calendar day).</summary>
    [Id(0)] public int CheckInPoints { get; init; } = 1;

    /// <summary>Points when a reflection (微感悟) is approved by a community admin.</summary>
    [Id(1)] public int ReflectionPoints { get; init; } = 3;

    /// <summary>Extra points when an approved reflection is featured (精选).</summary>
    [Id(2)] public int FeaturedReflectionBonus { get; init; } = 5;

    /// <summary>Points per hour of volunteer service (rounded down to whole points).</summary>
    [Id(3)] public int VolunteerPointsPerHour { get; init; } = 2;

    /// <summary>The most hours one volunteering event may report.</summary>
    [Id(4)] public double MaxVolunteerHoursPerEvent { get; init; } = 8;

    /// <summary>Which attempts at a quiz count.</summary>
    [Id(5)] public QuizAttemptRule QuizAttempts { get; init; } = QuizAttemptRule.Best;

    /// <summary>At most this many points per activity kind per calendar day (kinds not listed: no cap).</summary>
    [Id(6)] public ImmutableArray<DailyCap> DailyCaps { get; init; } = [];

    /// <summary>Bonuses for runs of consecutive days with activity.</summary>
    [Id(7)] public ImmutableArray<StreakBonus> StreakBonuses { get; init; } = [];

    /// <summary>Shortest reflection text accepted, in characters.</summary>
    [Id(8)] public int ReflectionMinLength { get; init; } = 10;

    /// <summary>Longest reflection text accepted, in characters.</summary>
    [Id(9)] public int ReflectionMaxLength { get; init; } = 500;

    public int? CapFor(ActivityKind kind) =>
        DailyCaps.FirstOrDefault(c => c.Activity == kind) is { } cap ? cap.MaxPoints : null;
}

/// <summary>At most <see cref="MaxPoints"/> points from <see cref="Activity"/> per calendar day.</summary>
[GenerateSerializer, Immutable, Alias("pg.DailyCap")]
public sealed record DailyCap(
    [property: Id(0)] ActivityKind Activity,
    [property: Id(1)] int MaxPoints);

/// <summary><see cref="Points"/> when a run of consecutive active days reaches <see cref="Days"/>.</summary>
[GenerateSerializer, Immutable, Alias("pg.StreakBonus")]
public sealed record StreakBonus(
    [property: Id(0)] int Days,
    [property: Id(1)] int Points);

/// <summary>Which quiz attempts earn points.</summary>
[GenerateSerializer, Alias("pg.QuizAttemptRule")]
public enum QuizAttemptRule
{
    /// <summary>The best attempt counts: a better attempt earns the difference.</summary>
    Best = 1,

    /// <summary>Only the first attempt counts.</summary>
    First = 2,
}

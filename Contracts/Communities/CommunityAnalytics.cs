using System.Collections.Immutable;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Contracts.Communities;

/// <summary>
/// Counts over a set of members (a community, a grid, an age band, a subdistrict), all additive so
/// that larger scopes are sums of smaller ones; rates and averages are derived from them.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.MemberCounts")]
public sealed record MemberCounts
{
    public static readonly MemberCounts Zero = new();

    /// <summary>Members on the roster.</summary>
    [Id(0)] public int Enrolled { get; init; }

    /// <summary>Members with any activity in the last seven days.</summary>
    [Id(1)] public int Active { get; init; }

    /// <summary>Members who completed every required lesson.</summary>
    [Id(2)] public int Completed { get; init; }

    /// <summary>Sum of the members' progress (0 to 1 each); over <see cref="Enrolled"/> it is the average.</summary>
    [Id(3)] public double ProgressSum { get; init; }

    [Id(4)] public long Points { get; init; }

    [Id(5)] public long CheckIns { get; init; }

    /// <summary>Members in the outreach queue (at risk, not back on pace).</summary>
    [Id(6)] public int AtRisk { get; init; }

    /// <summary>Members an outreach volunteer has reached (a home delivery since their case opened).</summary>
    [Id(7)] public int Reached { get; init; }

    public double CompletionRate => Enrolled == 0 ? 0 : (double)Completed / Enrolled;

    public double AverageProgress => Enrolled == 0 ? 0 : ProgressSum / Enrolled;

    public MemberCounts Plus(MemberCounts other) => new()
    {
        Enrolled = Enrolled + other.Enrolled,
        Active = Active + other.Active,
        Completed = Completed + other.Completed,
        ProgressSum = ProgressSum + other.ProgressSum,
        Points = Points + other.Points,
        CheckIns = CheckIns + other.CheckIns,
        AtRisk = AtRisk + other.AtRisk,
        Reached = Reached + other.Reached,
    };
}

/// <summary>Completions of one lesson, by channel.</summary>
[GenerateSerializer, Immutable, Alias("pg.LessonChannelCounts")]
public sealed record LessonChannelCounts(
    [property: Id(0)] string LessonId,
    [property: Id(1)] int Online,
    [property: Id(2)] int InPerson,
    [property: Id(3)] int HomeDelivery)
{
    public int Total => Online + InPerson + HomeDelivery;

    public LessonChannelCounts Plus(LessonChannelCounts other) =>
        this with { Online = Online + other.Online, InPerson = InPerson + other.InPerson, HomeDelivery = HomeDelivery + other.HomeDelivery };

    public LessonChannelCounts Add(LessonChannel channel) => channel switch
    {
        LessonChannel.InPerson => this with { InPerson = InPerson + 1 },
        LessonChannel.HomeDelivery => this with { HomeDelivery = HomeDelivery + 1 },
        _ => this with { Online = Online + 1 },
    };
}

/// <summary>One day of the season (in its time zone): lessons completed, and members who completed the season.</summary>
[GenerateSerializer, Immutable, Alias("pg.DayCounts")]
public sealed record DayCounts(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] int LessonCompletions,
    [property: Id(2)] int MembersCompleted);

/// <summary>Counts for one key (a grid, an age band).</summary>
[GenerateSerializer, Immutable, Alias("pg.KeyedCounts")]
public sealed record KeyedCounts(
    [property: Id(0)] string Key,
    [property: Id(1)] MemberCounts Counts);

/// <summary>A community's season, broken down every way analysts ask for.</summary>
[GenerateSerializer, Immutable, Alias("pg.CommunityAnalytics")]
public sealed record CommunityAnalytics
{
    [Id(0)] public required CommunityDefinition Community { get; init; }
    [Id(1)] public required string SeasonId { get; init; }
    [Id(2)] public required MemberCounts Totals { get; init; }
    [Id(3)] public ImmutableArray<KeyedCounts> Grids { get; init; } = [];
    [Id(4)] public ImmutableArray<KeyedCounts> AgeBands { get; init; } = [];
    [Id(5)] public ImmutableArray<LessonChannelCounts> Lessons { get; init; } = [];
    [Id(6)] public ImmutableArray<DayCounts> Days { get; init; } = [];
}

/// <summary>Age bands (by birth year, at the season's start), the same everywhere.</summary>
public static class AgeBands
{
    public const string Unknown = "unknown";

    public static readonly ImmutableArray<string> All = ["under-40", "40-59", "60-74", "75-plus", Unknown];

    public static string Of(int? birthYear, int seasonYear) => (seasonYear - birthYear) switch
    {
        null => Unknown,
        < 40 => "under-40",
        < 60 => "40-59",
        < 75 => "60-74",
        _ => "75-plus",
    };
}

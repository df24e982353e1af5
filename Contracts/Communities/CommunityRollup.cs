using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Communities;

/// <summary>The live rollup of a community's members for one season.</summary>
[GenerateSerializer, Immutable, Alias("pg.CommunityRollup")]
public sealed record CommunityRollup
{
    [Id(0)] public required CommunityDefinition Community { get; init; }
    [Id(1)] public required string SeasonId { get; init; }
    [Id(2)] public required RollupTotals Totals { get; init; }
    [Id(3)] public int ActiveMembers { get; init; }
    [Id(4)] public ImmutableArray<LessonCount> Lessons { get; init; } = [];
    [Id(5)] public ImmutableArray<GridTotals> Grids { get; init; } = [];
    [Id(6)] public DateTimeOffset? UpdatedAt { get; init; }
    [Id(7)] public Outreach.OutreachCoverage Coverage { get; init; } = new(0, 0, 0, 0, 0);
}

/// <summary>Sums over a set of members; <see cref="AverageProgress"/> is exact (integer sums).</summary>
[GenerateSerializer, Immutable, Alias("pg.RollupTotals")]
public sealed record RollupTotals(
    [property: Id(0)] int EnrolledMembers,
    [property: Id(1)] int CompletedMembers,
    [property: Id(2)] long CompletedRequiredLessons,
    [property: Id(3)] int RequiredLessons,
    [property: Id(4)] long TotalPoints,
    [property: Id(5)] long TotalCheckIns,
    [property: Id(6)] long TotalLessonCompletions)
{
    /// <summary>Mean progress over enrolled members (members with no activity count as 0).</summary>
    public double AverageProgress =>
        EnrolledMembers == 0 || RequiredLessons == 0
            ? 0
            : (double)CompletedRequiredLessons / ((long)EnrolledMembers * RequiredLessons);

    public double CompletionRate => EnrolledMembers == 0 ? 0 : (double)CompletedMembers / EnrolledMembers;
}

[GenerateSerializer, Immutable, Alias("pg.LessonCount")]
public sealed record LessonCount(
    [property: Id(0)] string LessonId,
    [property: Id(1)] int Completions);

[GenerateSerializer, Immutable, Alias("pg.GridTotals")]
public sealed record GridTotals(
    [property: Id(0)] string GridId,
    [property: Id(1)] RollupTotals Totals);

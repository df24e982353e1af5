using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>What the member grain does after each write: the rules afresh, then the contribution (the grain's own code).</summary>
internal static class ContributionBuilder
{
    public static MemberContribution Build(MemberState state, ResolvedSeason season)
    {
        var facts = state.Seasons[season.SeasonId];

        // The grain sums up the new facts on every write, so each contribution pays for the rules afresh.
        var summary = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);
        return MemberContributions.Build(state, season, PointsTotals.Of(summary), DateTimeOffset.UtcNow);
    }
}

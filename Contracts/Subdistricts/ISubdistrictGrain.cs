using System.Collections.Immutable;
using ProgressGrains.Contracts.Communities;

namespace ProgressGrains.Contracts.Subdistricts;

/// <summary>
/// One subdistrict (街道): the communities it has, and rollups and rankings over them, asked of the
/// communities when queried (a handful to a few dozen), so they always agree with them.
/// Key: the subdistrict id.
/// </summary>
[Alias("pg.ISubdistrictGrain")]
public interface ISubdistrictGrain : IGrainWithStringKey
{
    /// <summary>Adds a community; adding it again changes nothing.</summary>
    /// <remarks>
    /// Interleaves: a community registers from its own turn (defining itself), possibly while this
    /// subdistrict's rollup or leaderboard waits for that community. Run in turn, each would wait for
    /// the other until the call timed out (30 s).
    /// </remarks>
    [AlwaysInterleave, Alias("Register")]
    Task Register(string communityId);

    [ReadOnly, Alias("GetRollup")]
    Task<SubdistrictRollup> GetRollup(string? seasonId, CancellationToken cancellationToken = default);

    /// <summary>Each community's analytics for the season, in community id order.</summary>
    [ReadOnly, Alias("GetAnalytics")]
    Task<ImmutableArray<CommunityAnalytics>> GetAnalytics(string? seasonId, CancellationToken cancellationToken = default);

    [ReadOnly, Alias("GetLeaderboard")]
    Task<Leaderboard> GetLeaderboard(string? seasonId, int top, string? memberId, CancellationToken cancellationToken = default);
}

/// <summary>A subdistrict's totals and its communities ranked by completion rate.</summary>
[GenerateSerializer, Immutable, Alias("pg.SubdistrictRollup")]
public sealed record SubdistrictRollup(
    [property: Id(0)] string SubdistrictId,
    [property: Id(1)] string SeasonId,
    [property: Id(2)] RollupTotals Totals,
    [property: Id(3)] int ActiveMembers,
    [property: Id(4)] ImmutableArray<CommunityRollup> Communities);

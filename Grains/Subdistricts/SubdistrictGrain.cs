using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Subdistricts;
using ProgressGrains.Grains.Catalog;

namespace ProgressGrains.Grains.Subdistricts;

[GenerateSerializer, Alias("pg.SubdistrictState")]
internal sealed class SubdistrictState
{
    [Id(0)] public SortedSet<string> Communities { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One subdistrict: it keeps its list of communities and asks them when queried.</summary>
internal sealed class SubdistrictGrain(
    [PersistentState("subdistrict", StorageNames.Progress)] IPersistentState<SubdistrictState> state,
    SeasonCatalog catalog) : Grain, ISubdistrictGrain
{
    // Register interleaves with every other call; this keeps its writes from overlapping.
    private readonly SemaphoreSlim _writing = new(1, 1);

    private string SubdistrictId => this.GetPrimaryKeyString();

    public async Task Register(string communityId)
    {
        await _writing.WaitAsync();
        try
        {
            if (state.State.Communities.Add(communityId))
            {
                try
                {
                    await state.WriteStateAsync();
                }
                catch
                {
                    // Not registered: the community registers again (on its next definition, and on activation).
                    state.State.Communities.Remove(communityId);
                    throw;
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task<SubdistrictRollup> GetRollup(string? seasonId, CancellationToken cancellationToken)
    {
        var season = await RequireSeason(seasonId, cancellationToken);
        var rollups = await Task.WhenAll(Communities().Select(c => c.GetRollup(season.SeasonId, cancellationToken)));
        var ranked = rollups
            .OrderByDescending(r => r.Totals.CompletionRate).ThenByDescending(r => r.Totals.AverageProgress)
            .ThenBy(r => r.Community.CommunityId, StringComparer.Ordinal)
            .ToImmutableArray();
        var totals = new RollupTotals(
            rollups.Sum(r => r.Totals.EnrolledMembers),
            rollups.Sum(r => r.Totals.CompletedMembers),
            rollups.Sum(r => r.Totals.CompletedRequiredLessons),
            season.RequiredLessons,
            rollups.Sum(r => r.Totals.TotalPoints),
            rollups.Sum(r => r.Totals.TotalCheckIns),
            rollups.Sum(r => r.Totals.TotalLessonCompletions));
        return new SubdistrictRollup(SubdistrictId, season.SeasonId, totals, rollups.Sum(r => r.ActiveMembers), ranked);
    }

    public async Task<Leaderboard> GetLeaderboard(string? seasonId, int top, string? memberId, CancellationToken cancellationToken)
    {
        var season = await RequireSeason(seasonId, cancellationToken);
        var boards = await Task.WhenAll(Communities().Select(c => c.GetLeaderboard(season.SeasonId, top, null, cancellationToken)));
        var merged = boards.SelectMany(b => b.Leaders)
            .OrderByDescending(e => e.Points).ThenBy(e => e.MemberId, StringComparer.Ordinal)
            .Take(top)
            .ToArray();

        // Ranks across communities: 1 + how many members anywhere have more points.
        var leaders = ImmutableArray.CreateBuilder<LeaderboardEntry>(merged.Length);
        for (var i = 0; i < merged.Length; i++)
        {
            var rank = i > 0 && merged[i].Points == merged[i - 1].Points ? leaders[i - 1].Rank : i + 1;
            leaders.Add(merged[i] with { Rank = rank });
        }

        LeaderboardEntry? member = null;
        if (memberId is not null)
        {
            var profile = await GrainFactory.GetGrain<IMemberGrain>(GrainKeys.Member(memberId)).GetProfile();
            if (profile is null || !state.State.Communities.Contains(profile.CommunityId))
            {
                throw ProgressException.NotFound("member_id", $"Member '{memberId}' is not in subdistrict '{SubdistrictId}'.");
            }

            var own = await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(profile.CommunityId))
                .GetLeaderboard(season.SeasonId, 0, memberId, cancellationToken);
            var ahead = await Task.WhenAll(Communities().Select(c => c.CountAhead(season.SeasonId, own.Member!.Points)));
            member = own.Member! with { Rank = ahead.Sum() + 1 };
        }

        return new Leaderboard(season.SeasonId, leaders.ToImmutable(), member, boards.Sum(b => b.RankedMembers));
    }

    public async Task<ImmutableArray<CommunityAnalytics>> GetAnalytics(string? seasonId, CancellationToken cancellationToken)
    {
        var season = await RequireSeason(seasonId, cancellationToken);
        return [.. await Task.WhenAll(Communities().Select(c => c.GetAnalytics(season.SeasonId, cancellationToken)))];
    }

    private IEnumerable<ICommunityGrain> Communities() =>
        state.State.Communities.Select(id => GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(id)));

    private async Task<ResolvedSeason> RequireSeason(string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (state.State.Communities.Count == 0)
        {
            throw ProgressException.NotFound("subdistrict_id", $"Subdistrict '{SubdistrictId}' has no communities.");
        }

        return await catalog.Require(seasonId);
    }
}

using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts.Subdistricts;

namespace ProgressGrains.Gateway.Services;

/// <summary>Subdistrict rollups and leaderboards over gRPC and JSON.</summary>
internal sealed class SubdistrictApi(IGrainFactory grains) : SubdistrictService.SubdistrictServiceBase
{
    public override async Task<GetSubdistrictRollupResponse> GetSubdistrictRollup(GetSubdistrictRollupRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var subdistrictId = validation.Id(request.SubdistrictId, "subdistrict_id");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var rollup = await Subdistrict(subdistrictId).GetRollup(seasonId, context.CancellationToken);
        var totals = rollup.Totals;
        var response = new GetSubdistrictRollupResponse
        {
            SubdistrictId = rollup.SubdistrictId,
            SeasonId = rollup.SeasonId,
            EnrolledMembers = totals.EnrolledMembers,
            ActiveMembers = rollup.ActiveMembers,
            CompletedMembers = totals.CompletedMembers,
            CompletionRate = totals.CompletionRate,
            AverageProgress = totals.AverageProgress,
            TotalPoints = totals.TotalPoints,
            TotalCheckIns = totals.TotalCheckIns,
            TotalLessonCompletions = totals.TotalLessonCompletions,
            Coverage = new Api.V1.OutreachCoverage
            {
                AtRisk = rollup.Communities.Sum(c => c.Coverage.AtRisk),
                InOutreach = rollup.Communities.Sum(c => c.Coverage.InOutreach),
                Reached = rollup.Communities.Sum(c => c.Coverage.Reached),
                NotYetReached = rollup.Communities.Sum(c => c.Coverage.NotYetReached),
                Recovered = rollup.Communities.Sum(c => c.Coverage.Recovered),
            },
        };
        response.Communities.AddRange(rollup.Communities.Select((c, i) => new CommunityRanking
        {
            Rank = i + 1,
            CommunityId = c.Community.CommunityId,
            Name = c.Community.Name,
            EnrolledMembers = c.Totals.EnrolledMembers,
            CompletedMembers = c.Totals.CompletedMembers,
            CompletionRate = c.Totals.CompletionRate,
            AverageProgress = c.Totals.AverageProgress,
            TotalPoints = c.Totals.TotalPoints,
        }));
        return response;
    }

    public override async Task<GetLeaderboardResponse> GetSubdistrictLeaderboard(GetLeaderboardRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var subdistrictId = validation.Id(request.ScopeId, "subdistrict_id");
        var (seasonId, top, memberId) = Leaderboards.Validate(request, validation);
        validation.ThrowIfInvalid();

        return (await Subdistrict(subdistrictId).GetLeaderboard(seasonId, top, memberId, context.CancellationToken)).ToApi();
    }

    private ISubdistrictGrain Subdistrict(string id) => grains.GetGrain<ISubdistrictGrain>(id);
}

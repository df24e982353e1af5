using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;

namespace ProgressGrains.Gateway.Services;

/// <summary>Community rosters and rollups over gRPC and JSON.</summary>
internal sealed class CommunityApi(IGrainFactory grains) : CommunityService.CommunityServiceBase
{
    public override async Task<ListCommunityMembersResponse> ListCommunityMembers(ListCommunityMembersRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var seasonId = validation.Season(request.SeasonId);
        var pageSize = validation.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken, validation);
        var gridId = validation.OptionalId(request.GridId, "grid_id");
        validation.ThrowIfInvalid();

        var page = await Community(communityId).ListMembers(new RosterQuery(seasonId, pageSize, after, gridId), context.CancellationToken);
        var response = new ListCommunityMembersResponse
        {
            NextPageToken = Paging.Token(page.LastMemberId),
            TotalSize = page.TotalSize,
        };
        response.Members.AddRange(page.Members.Select(m => m.ToApi()));
        return response;
    }

    public override async Task<GetCommunityRollupResponse> GetCommunityRollup(GetCommunityRollupRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var rollup = await Community(communityId).GetRollup(seasonId, context.CancellationToken);
        return rollup.ToApi();
    }

    public override async Task<GetLeaderboardResponse> GetCommunityLeaderboard(GetLeaderboardRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.ScopeId, "community_id");
        var (seasonId, top, memberId) = Leaderboards.Validate(request, validation);
        validation.ThrowIfInvalid();

        return (await Community(communityId).GetLeaderboard(seasonId, top, memberId, context.CancellationToken)).ToApi();
    }

    public override async Task<ListCommunityReflectionsResponse> ListCommunityReflections(ListCommunityReflectionsRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var seasonId = validation.Season(request.SeasonId);
        var pageSize = validation.PageSize(request.PageSize);
        var skip = Paging.Offset(request.PageToken, validation);
        Contracts.ReflectionStatus? status = request.Status == Api.V1.ReflectionStatus.Unspecified ? null : (Contracts.ReflectionStatus)(int)request.Status;
        if (status is not null && !Enum.IsDefined(status.Value))
        {
            validation.Add("status", $"status {(int)request.Status} is not a reflection status.");
        }

        validation.ThrowIfInvalid();

        var page = await Community(communityId).ListReflections(seasonId, status, skip, pageSize, context.CancellationToken);
        var response = new ListCommunityReflectionsResponse
        {
            TotalSize = page.TotalSize,
            NextPageToken = skip + page.Reflections.Length < page.TotalSize ? Paging.OffsetToken(skip + page.Reflections.Length) : "",
        };
        response.Reflections.AddRange(page.Reflections.Select(r => r.Reflection.ToApi(r.MemberId, r.MemberName)));
        return response;
    }

    private ICommunityGrain Community(string communityId) => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));
}

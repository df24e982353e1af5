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

    public override async Task<GetAtRiskQueueResponse> GetAtRiskQueue(GetAtRiskQueueRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var seasonId = validation.Season(request.SeasonId);
        var pageSize = validation.PageSize(request.PageSize);
        var skip = Paging.Offset(request.PageToken, validation);
        validation.ThrowIfInvalid();

        var (entries, total) = await Community(communityId).GetAtRisk(seasonId, skip, pageSize, context.CancellationToken);
        var response = new GetAtRiskQueueResponse
        {
            TotalSize = total,
            NextPageToken = skip + entries.Length < total ? Paging.OffsetToken(skip + entries.Length) : "",
        };
        response.Members.AddRange(entries.Select(e => e.ToApi()));
        return response;
    }

    public override async Task<ListSquadVolunteersResponse> ListSquadVolunteers(ListSquadVolunteersRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        validation.ThrowIfInvalid();

        var community = Community(communityId);
        _ = await community.GetDefinition() ?? throw new RpcException(new Status(StatusCode.NotFound, $"Community '{communityId}' does not exist."));
        var response = new ListSquadVolunteersResponse();
        response.Volunteers.AddRange((await community.GetVolunteers()).Select(v => v.ToApi()));
        return response;
    }

    public override async Task<ListSquadVolunteersResponse> RegisterSquadVolunteers(RegisterSquadVolunteersRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        if (request.Volunteers.Count is 0 or > 1000)
        {
            validation.Add("volunteers", "Give 1 to 1000 volunteers.");
        }

        var volunteers = request.Volunteers.Select((v, i) => new Contracts.Outreach.SquadVolunteer(
            validation.Id(v.VolunteerId, $"volunteers[{i}].volunteer_id"),
            string.IsNullOrWhiteSpace(v.Name) || v.Name.Length > 100 ? Invalid(validation, $"volunteers[{i}].name") : v.Name.Trim(),
            validation.OptionalId(v.GridId, $"volunteers[{i}].grid_id"))).ToArray();
        validation.ThrowIfInvalid();

        var community = Community(communityId);
        _ = await community.GetDefinition() ?? throw new RpcException(new Status(StatusCode.NotFound, $"Community '{communityId}' does not exist."));
        await community.RegisterVolunteers([.. volunteers]);
        var response = new ListSquadVolunteersResponse();
        response.Volunteers.AddRange((await community.GetVolunteers()).Select(v => v.ToApi()));
        return response;

        static string Invalid(RequestValidation validation, string field)
        {
            validation.Add(field, $"{field} is required, at most 100 characters.");
            return "";
        }
    }

    public override async Task<Api.V1.OutreachCase> AssignOutreach(AssignOutreachRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var memberId = validation.Id(request.MemberId, "member_id");
        var volunteerId = validation.Id(request.VolunteerId, "volunteer_id");
        var assignedBy = validation.OptionalId(request.AssignedBy, "assigned_by");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        return (await Community(communityId).AssignOutreach(memberId, volunteerId, assignedBy, seasonId)).ToApi();
    }

    public override async Task<Api.V1.OutreachCase> GetOutreachCase(GetOutreachCaseRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var communityId = validation.Id(request.CommunityId, "community_id");
        var memberId = validation.Id(request.MemberId, "member_id");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        return (await Community(communityId).GetOutreachCase(memberId, seasonId, context.CancellationToken)).ToApi();
    }

    private ICommunityGrain Community(string communityId) => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));
}

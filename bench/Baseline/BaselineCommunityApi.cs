using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Bench.Baseline;

/// <summary>The community rollup, read from the community's row of running totals.</summary>
[Authorize]
public sealed class BaselineCommunityApi(BaselineStore store) : CommunityService.CommunityServiceBase
{
    public override async Task<GetCommunityRollupResponse> GetCommunityRollup(GetCommunityRollupRequest request, ServerCallContext context)
    {
        BaselineCaller.RequireRollupReader(context, request.CommunityId);
        var community = await store.GetCommunityAsync(request.CommunityId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Community '{request.CommunityId}' is not known."));
        return new GetCommunityRollupResponse
        {
            CommunityId = community.CommunityId,
            SeasonId = BaselineMemberApi.SeasonId,
            EnrolledMembers = community.EnrolledMembers,
            TotalPoints = community.TotalPoints,
            TotalCheckIns = community.TotalCheckIns,
            TotalLessonCompletions = community.TotalLessons,
            UpdatedAt = community.UpdatedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        };
    }
}

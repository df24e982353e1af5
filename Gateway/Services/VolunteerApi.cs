using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts.Outreach;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Gateway.Services;

/// <summary>Squad volunteers' assignments over gRPC and JSON.</summary>
internal sealed class VolunteerApi(IGrainFactory grains) : VolunteerService.VolunteerServiceBase
{
    public override async Task<ListVolunteerAssignmentsResponse> ListVolunteerAssignments(ListVolunteerAssignmentsRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var volunteerId = validation.Id(request.VolunteerId, "volunteer_id");
        validation.ThrowIfInvalid();

        var assignments = await grains.GetGrain<IVolunteerGrain>(volunteerId).GetAssignments();
        var caller = context.Caller();
        var visible = caller.IsVolunteer(volunteerId) ? assignments : assignments.Where(a => a.CommunityId == caller.CommunityId);
        var response = new ListVolunteerAssignmentsResponse();
        response.Assignments.AddRange(visible.Select(a => new VolunteerAssignment
        {
            CommunityId = a.CommunityId,
            MemberId = a.MemberId,
            SeasonId = a.SeasonId,
            AssignedAt = Timestamp.FromDateTimeOffset(a.AssignedAt),
            Open = a.Open,
            ClosedAt = a.ClosedAt is { } closed ? Timestamp.FromDateTimeOffset(closed) : null,
        }));
        return response;
    }
}

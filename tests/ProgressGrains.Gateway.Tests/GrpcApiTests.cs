using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Gateway.Tests;

/// <summary>The same API over gRPC on the cleartext HTTP/2 port, with a Grpc.Net.Client client.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed class GrpcApiTests(DemoSiloFixture fixture)
{
    private static CallOptions Deadline => new(deadline: DateTime.UtcNow.AddSeconds(30));

    [Fact]
    public async Task CompleteLessonAndCheckIn_ShowInProgress_AndRepeatsAreDuplicates()
    {
        var members = new MemberService.MemberServiceClient(fixture.Grpc);
        var season = (await new SeasonService.SeasonServiceClient(fixture.Grpc).GetSeasonAsync(new GetSeasonRequest { SeasonId = "current" }, Deadline)).Season;
        const string memberId = "dunhuang-0042";
        var before = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = memberId }, Deadline);
        var lesson = season.Lessons.First(l => !before.CompletedLessons.Contains(l.LessonId));
        await new CommunityService.CommunityServiceClient(fixture.Grpc).AssignOutreachAsync(
            new AssignOutreachRequest { CommunityId = "dunhuang", MemberId = memberId, VolunteerId = "dunhuang-v01", AssignedBy = "dunhuang-admin" }, Deadline);
        var complete = new CompleteLessonRequest
        {
            MemberId = memberId,
            LessonId = lesson.LessonId,
            EventId = Guid.NewGuid().ToString(),
            Channel = Channel.HomeDelivery,
            DeliveredBy = "dunhuang-v01",
        };
        var checkIn = new CheckInRequest { MemberId = memberId, EventId = Guid.NewGuid().ToString(), SiteId = "dunhuang-practice-station" };

        var completed = await members.CompleteLessonAsync(complete, Deadline);
        var checkedIn = await members.CheckInAsync(checkIn, Deadline);
        var repeated = await members.CompleteLessonAsync(complete, Deadline);
        var repeatedCheckIn = await members.CheckInAsync(checkIn, Deadline);
        var after = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = memberId }, Deadline);

        Assert.False(completed.Duplicate);
        Assert.True(repeated.Duplicate);
        Assert.True(repeatedCheckIn.Duplicate);
        Assert.Equal(before.Points + lesson.Points + season.Rules.CheckInPoints, after.Points);
        var delivered = after.Lessons.Single(l => l.LessonId == lesson.LessonId);
        Assert.Equal(Channel.HomeDelivery, delivered.Channel);
        Assert.Equal("dunhuang-v01", delivered.DeliveredBy);
        Assert.Equal(checkedIn.CheckIns, after.CheckIns);
    }

    [Fact]
    public async Task InvalidArgument_CarriesABadRequestNamingEachField()
    {
        var members = new MemberService.MemberServiceClient(fixture.Grpc);

        var error = await Assert.ThrowsAsync<RpcException>(() => members.CompleteLessonAsync(
            new CompleteLessonRequest { MemberId = "wenhua-0001", LessonId = "bad lesson", EventId = "x" }, Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["lesson_id", "event_id"], badRequest.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task UnknownMember_IsNotFound()
    {
        var members = new MemberService.MemberServiceClient(fixture.Grpc);

        var error = await Assert.ThrowsAsync<RpcException>(() => members.GetMemberProgressAsync(
            new GetMemberProgressRequest { MemberId = "nobody-here" }, Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("nobody-here", error.Status.Detail);
    }

    [Fact]
    public async Task CommunityRollupAndRoster_AgreeOverGrpc()
    {
        var communities = new CommunityService.CommunityServiceClient(fixture.Grpc);

        var rollup = await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = "lianfeng" }, Deadline);
        var roster = await communities.ListCommunityMembersAsync(new ListCommunityMembersRequest { CommunityId = "lianfeng", PageSize = 1000 }, Deadline);

        Assert.Equal("xietang", rollup.SubdistrictId);
        Assert.Equal(roster.Members.Count, rollup.EnrolledMembers);
        Assert.Equal(roster.Members.Sum(m => (long)m.Points), rollup.TotalPoints);
        Assert.Equal(rollup.EnrolledMembers, rollup.Grids.Sum(g => g.EnrolledMembers));
        Assert.Empty(roster.NextPageToken);
    }

    [Fact]
    public async Task HealthService_ReportsServing()
    {
        // Probes need no token.
        var health = new Health.HealthClient(fixture.Channel);

        var reply = await health.CheckAsync(new HealthCheckRequest(), Deadline);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}

using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MemberGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 10, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task CompleteLesson_SameEventTwice_CountsOnce()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        var command = new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Noon, null);

        var first = await member.CompleteLesson(command);
        var second = await member.CompleteLesson(command);

        Assert.False(first.Duplicate);
        Assert.Equal(10, first.PointsAwarded);
        Assert.True(second.Duplicate);
        Assert.Equal(10, second.PointsAwarded);
        Assert.Equal(10, second.TotalPoints);
        var progress = await member.GetProgress(null);
        Assert.Equal(10, progress.Points);
        Assert.Single(progress.Lessons);
        Assert.Equal(1, progress.CompletedRequiredLessons);
        Assert.Equal(1.0 / 3, progress.Progress, 10);
    }

    [Fact]
    public async Task CompleteLesson_SameLessonWithNewEvent_ReportsAlreadyCompletedAndAwardsNothing()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.Online, null, Noon, null));

        // Later than the first: the earliest completion is the one that counts.
        var again = await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.Online, null, Noon.AddMinutes(1), null));

        Assert.False(again.Duplicate);
        Assert.True(again.AlreadyCompleted);
        Assert.Equal(0, again.PointsAwarded);
        Assert.Equal(5, (await member.GetProgress(null)).Points);
    }

    [Fact]
    public async Task CompleteLesson_EventIdReusedForAnotherLesson_IsRefusedAndChangesNothing()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        var eventId = Guid.NewGuid();
        await member.CompleteLesson(new CompleteLessonCommand(eventId, "r1", LessonChannel.Online, null, Noon, null));

        var refusal = await Assert.ThrowsAsync<ProgressException>(() =>
            member.CompleteLesson(new CompleteLessonCommand(eventId, "r2", LessonChannel.Online, null, Noon, null)));

        Assert.Equal(ErrorKind.AlreadyExists, refusal.Kind);
        Assert.Equal("event_id", refusal.Field);
        Assert.Equal(["r1"], (await member.GetProgress(null)).Lessons.Select(l => l.LessonId));
    }

    [Theory]
    [InlineData("nope", LessonChannel.Online, null, ErrorKind.NotFound, "lesson_id")]
    [InlineData("r1", LessonChannel.HomeDelivery, null, ErrorKind.InvalidArgument, "delivered_by")]
    [InlineData("r1", LessonChannel.Online, "volunteer-1", ErrorKind.InvalidArgument, "delivered_by")]
    [InlineData("r1", (LessonChannel)42, null, ErrorKind.InvalidArgument, "channel")]
    public async Task CompleteLesson_BadInput_IsRefusedWithTheFieldAndChangesNothing(
        string lessonId, LessonChannel channel, string? deliveredBy, ErrorKind kind, string field)
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);

        var refusal = await Assert.ThrowsAsync<ProgressException>(() =>
            member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), lessonId, channel, deliveredBy, Noon, null)));

        Assert.Equal(kind, refusal.Kind);
        Assert.Equal(field, refusal.Field);
        var progress = await member.GetProgress(null);
        Assert.Empty(progress.Lessons);
        Assert.Equal(0, progress.Points);
    }

    [Fact]
    public async Task CompleteLesson_InTheFuture_IsRefused()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var future = DateTimeOffset.UtcNow.AddHours(1);

        var refusal = await Assert.ThrowsAsync<ProgressException>(() =>
            fixture.Member(members[0]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, future, null)));

        Assert.Equal("occurred_at", refusal.Field);
    }

    [Fact]
    public async Task CompleteLesson_UnknownMember_IsNotFound()
    {
        var refusal = await Assert.ThrowsAsync<ProgressException>(() =>
            fixture.Member("never-enrolled-" + Guid.NewGuid().ToString("N")[..8])
                .CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Noon, null)));

        Assert.Equal(ErrorKind.NotFound, refusal.Kind);
        Assert.Equal("member_id", refusal.Field);
    }

    [Fact]
    public async Task CompleteLesson_HomeDelivery_KeepsTheVolunteerForAudit()
    {
        var (communityId, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        await fixture.Community(communityId).RegisterVolunteers([new Contracts.Outreach.SquadVolunteer("volunteer-7", "Volunteer", null)]);
        await fixture.Community(communityId).AssignOutreach(members[0], "volunteer-7", "admin-1", null);

        await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r3", LessonChannel.HomeDelivery, "volunteer-7", Noon, null));

        var lesson = Assert.Single((await member.GetProgress(null)).Lessons);
        Assert.Equal(LessonChannel.HomeDelivery, lesson.Channel);
        Assert.Equal("volunteer-7", lesson.DeliveredBy);
    }

    [Fact]
    public async Task CheckIn_SameSiteTwiceOnOneShanghaiDay_CountsOnce()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        // 00:30 and 23:30 in Shanghai are the same calendar day, though different UTC days.
        var early = new DateTimeOffset(2024, 1, 10, 0, 30, 0, TimeSpan.FromHours(8));
        var late = new DateTimeOffset(2024, 1, 10, 23, 30, 0, TimeSpan.FromHours(8));

        var first = await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", early, null));
        var second = await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", late, null));
        var otherSite = await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s2", late, null));

        Assert.True(first.Counted);
        Assert.False(second.Counted);
        Assert.Equal(0, second.PointsAwarded);
        Assert.True(otherSite.Counted);
        Assert.Equal(2, otherSite.CheckIns);
        Assert.Equal(4, otherSite.TotalPoints);
    }

    [Fact]
    public async Task CheckIn_AcrossMidnightInShanghai_CountsForEachDay()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        // 15:59 and 16:01 UTC are 23:59 and 00:01 in Shanghai: two calendar days.
        var before = new DateTimeOffset(2024, 1, 10, 15, 59, 0, TimeSpan.Zero);
        var after = new DateTimeOffset(2024, 1, 10, 16, 1, 0, TimeSpan.Zero);

        var first = await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", before, null));
        var second = await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", after, null));

        Assert.True(first.Counted);
        Assert.True(second.Counted);
        Assert.Equal(2, second.CheckIns);
    }

    [Fact]
    public async Task CheckIn_SameEventTwice_CountsOnceAndSaysDuplicate()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        var command = new CheckInCommand(Guid.NewGuid(), "s2", Noon, null);

        await member.CheckIn(command);
        var again = await member.CheckIn(command);

        Assert.True(again.Duplicate);
        Assert.Equal(1, again.CheckIns);
        Assert.Equal(2, again.TotalPoints);
    }

    [Fact]
    public async Task Member_AfterDeactivation_KeepsEventsAndStillRecognisesDuplicates()
    {
        var (_, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        var command = new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Noon, null);
        await member.CompleteLesson(command);

        await fixture.Cluster.DeactivateAsync(member);
        var again = await member.CompleteLesson(command);

        Assert.True(again.Duplicate);
        Assert.Equal(10, (await member.GetProgress(null)).Points);
    }
}

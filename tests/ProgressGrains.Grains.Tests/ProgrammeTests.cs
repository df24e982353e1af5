using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Subdistricts;

namespace ProgressGrains.Grains.Tests;

/// <summary>The whole programme on the cluster: voids, leaderboards and the subdistrict rollup.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProgrammeTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Day = new(2024, 1, 10, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Void_ReversesPointsAndTheRollupEffect_Once()
    {
        var (communityId, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        var lesson = new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null);
        await member.CompleteLesson(lesson);
        await member.CheckIn(new CheckInCommand(Guid.NewGuid(), "s1", Day, null));
        var community = fixture.Community(communityId);
        var before = await community.GetRollup(null);

        var voided = await member.VoidEvent(new VoidEventCommand(lesson.EventId, "recorded by mistake", "admin-1"));
        var again = await member.VoidEvent(new VoidEventCommand(lesson.EventId, "recorded by mistake", "admin-1"));

        Assert.Equal(-10, voided.PointsAwarded);
        Assert.True(again.Duplicate);
        Assert.Equal(0, again.PointsAwarded);
        var progress = await member.GetProgress(null);
        Assert.Equal(2, progress.Points);
        Assert.Empty(progress.Lessons);
        var after = await community.GetRollup(null);
        Assert.Equal(before.Totals.TotalPoints - 10, after.Totals.TotalPoints);
        Assert.Equal(before.Totals.TotalLessonCompletions - 1, after.Totals.TotalLessonCompletions);
        Assert.Equal(0, after.Lessons.Single(l => l.LessonId == "r1").Completions);
        var ledger = await member.GetLedger(null, 0, 100);
        Assert.Equal(progress.Points, ledger.Entries.Sum(e => e.Points));
        Assert.Single(ledger.Entries, e => e.EventId == lesson.EventId && e.Points == -10);
    }

    [Fact]
    public async Task Void_UnknownEvent_IsNotFound()
    {
        var (_, members) = await fixture.NewCommunity(1);

        var refusal = await Assert.ThrowsAsync<ProgressException>(() =>
            fixture.Member(members[0]).VoidEvent(new VoidEventCommand(Guid.NewGuid(), "why not", null)));

        Assert.Equal(ErrorKind.NotFound, refusal.Kind);
    }

    [Fact]
    public async Task Leaderboard_RanksByPoints_SharesRanksOnTies_AndFindsTheMember()
    {
        var (communityId, members) = await fixture.NewCommunity(4);
        // Points: m1 15, m2 15, m3 5, m4 0.
        await fixture.Member(members[0]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null));
        await fixture.Member(members[0]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.Online, null, Day, null));
        await fixture.Member(members[1]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null));
        await fixture.Member(members[1]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r3", LessonChannel.Online, null, Day, null));
        await fixture.Member(members[2]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.Online, null, Day, null));

        var board = await fixture.Community(communityId).GetLeaderboard(null, 3, members[3]);

        Assert.Equal([(1, members[0], 15), (1, members[1], 15), (3, members[2], 5)], board.Leaders.Select(l => (l.Rank, l.MemberId, l.Points)));
        Assert.Equal((4, 0), (board.Member!.Rank, board.Member.Points));
        Assert.Equal(4, board.RankedMembers);
    }

    [Fact]
    public async Task Subdistrict_RollupIsTheSumOfItsCommunities_RankedByCompletionRate()
    {
        var subdistrictId = "sd-" + Guid.NewGuid().ToString("N")[..8];
        var (weak, weakMembers) = await fixture.NewCommunity(2, subdistrictId: subdistrictId);
        var (strong, strongMembers) = await fixture.NewCommunity(2, subdistrictId: subdistrictId);
        foreach (var lessonId in new[] { "r1", "r2", "r3" })
        {
            await fixture.Member(strongMembers[0]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), lessonId, LessonChannel.Online, null, Day, null));
        }

        await fixture.Member(weakMembers[0]).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null));
        var subdistrict = fixture.Grains.GetGrain<ISubdistrictGrain>(subdistrictId);

        var rollup = await subdistrict.GetRollup(null);
        var board = await subdistrict.GetLeaderboard(null, 2, weakMembers[0]);

        Assert.Equal([strong, weak], rollup.Communities.Select(c => c.Community.CommunityId));
        Assert.Equal(4, rollup.Totals.EnrolledMembers);
        Assert.Equal(1, rollup.Totals.CompletedMembers);
        Assert.Equal(30, rollup.Totals.TotalPoints);
        Assert.Equal(rollup.Communities.Sum(c => c.Totals.TotalPoints), rollup.Totals.TotalPoints);
        Assert.Equal(4.0 / 12, rollup.Totals.AverageProgress, 12);
        Assert.Equal(strongMembers[0], board.Leaders[0].MemberId);
        Assert.Equal((2, 10), (board.Member!.Rank, board.Member.Points));
    }

    [Fact]
    public async Task Subdistrict_RollupWhileItsCommunitiesActivate_DoesNotWaitOnThem()
    {
        // A community that activates registers with its subdistrict. When the activation is caused
        // by the subdistrict's own rollup, which waits on the community, that registration must
        // not wait on the subdistrict in turn (it did: the rollup hung until the 30 s call timeout).
        var subdistrictId = "sd-" + Guid.NewGuid().ToString("N")[..8];
        var (first, _) = await fixture.NewCommunity(2, subdistrictId: subdistrictId);
        var (second, _) = await fixture.NewCommunity(2, subdistrictId: subdistrictId);
        await fixture.Cluster.DeactivateAsync(fixture.Community(first));
        await fixture.Cluster.DeactivateAsync(fixture.Community(second));

        var rollup = await fixture.Grains.GetGrain<ISubdistrictGrain>(subdistrictId).GetRollup(null)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(new[] { first, second }.Order(), rollup.Communities.Select(c => c.Community.CommunityId).Order());
        Assert.Equal(4, rollup.Totals.EnrolledMembers);
    }

    [Fact]
    public async Task QuizVolunteeringAndReflection_LedgerExplainsTheTotal()
    {
        var (communityId, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        await member.AttemptQuiz(new QuizAttemptCommand(Guid.NewGuid(), "q1", 5, 10, Day, null));
        await member.AttemptQuiz(new QuizAttemptCommand(Guid.NewGuid(), "q1", 8, 10, Day.AddHours(1), null));
        await member.Volunteer(new VolunteerCommand(Guid.NewGuid(), "安全巡查", 2.5, Day, null));
        var reflection = new ReflectionCommand(Guid.NewGuid(), "学习二十大精神，收获满满。", Day, null);
        var submitted = await member.SubmitReflection(reflection);
        var featured = await member.ModerateReflection(new ModerateReflectionCommand(Guid.NewGuid(), reflection.EventId, ModerationDecision.Feature, "admin-1"));

        Assert.Equal(0, submitted.PointsAwarded);
        Assert.Equal(3 + 5, featured.PointsAwarded); // default rules: approval 3 + featured bonus 5
        var ledger = await member.GetLedger(null, 0, 100);
        Assert.Equal(8 + 5 + 8, ledger.Points); // quiz best 8, volunteering floor(2.5 h x 2), reflection 8
        Assert.Equal(ledger.Points, ledger.Entries.Sum(e => e.Points));
        var listed = await fixture.Community(communityId).ListReflections(null, ReflectionStatus.Featured, 0, 10);
        Assert.Equal(reflection.EventId, Assert.Single(listed.Reflections).Reflection.ReflectionId);
    }
}

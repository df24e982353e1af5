using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CommunityGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Day = new(2024, 1, 10, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] LessonIds = ["r1", "r2", "r3", "o1"];
    private static readonly string[] SiteIds = ["s1", "s2"];

    [Fact]
    public async Task Rollup_AfterConcurrentEventsWithRetries_EqualsRecountOfMembers()
    {
        var (communityId, members) = await fixture.NewCommunity(24, grids: 3);
        var random = new Random(7);
        var commands = new List<(string Member, object Command)>();
        foreach (var member in members)
        {
            foreach (var lesson in LessonIds.Where(_ => random.NextDouble() < 0.6))
            {
                commands.Add((member, new CompleteLessonCommand(Guid.NewGuid(), lesson, LessonChannel.Online, null, Day, null)));
            }

            for (var i = random.Next(4); i > 0; i--)
            {
                commands.Add((member, new CheckInCommand(Guid.NewGuid(), SiteIds[random.Next(2)], Day.AddDays(random.Next(3)), null)));
            }
        }

        // Every event is sent twice, in a shuffled order, many at once: retries must not count twice.
        var sends = commands.Concat(commands).OrderBy(_ => random.Next()).ToArray();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (send, ct) =>
        {
            var grain = fixture.Member(send.Member);
            _ = send.Command switch
            {
                CompleteLessonCommand lesson => (object)await grain.CompleteLesson(lesson, ct),
                CheckInCommand checkIn => await grain.CheckIn(checkIn, ct),
                _ => throw new InvalidOperationException(),
            };
        });

        var rollup = await fixture.Community(communityId).GetRollup(null);
        var recount = await RecountMembers(members);
        Assert.Equal(recount.Points, rollup.Totals.TotalPoints);
        Assert.Equal(recount.CheckIns, rollup.Totals.TotalCheckIns);
        Assert.Equal(recount.Completed, rollup.Totals.CompletedMembers);
        Assert.Equal(recount.LessonCompletions, rollup.Totals.TotalLessonCompletions);
        Assert.Equal(recount.AverageProgress, rollup.Totals.AverageProgress, 12);
        Assert.Equal(24, rollup.Totals.EnrolledMembers);
        foreach (var lesson in rollup.Lessons)
        {
            Assert.Equal(recount.PerLesson.GetValueOrDefault(lesson.LessonId), lesson.Completions);
        }

        Assert.Equal(rollup.Totals.TotalPoints, rollup.Grids.Sum(g => g.Totals.TotalPoints));
        Assert.Equal(24, rollup.Grids.Sum(g => g.Totals.EnrolledMembers));
        Assert.True(recount.Points > 0, "the workload should have awarded points");
    }

    [Fact]
    public async Task Rollup_AfterCommunityDeactivation_IsKept()
    {
        var (communityId, members) = await fixture.NewCommunity(3);
        foreach (var member in members)
        {
            await fixture.Member(member).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null));
        }

        var community = fixture.Community(communityId);
        var before = await community.GetRollup(null);
        await fixture.Cluster.DeactivateAsync(community);
        var after = await community.GetRollup(null);

        Assert.Equal(30, before.Totals.TotalPoints);
        Assert.Equal(before.Totals, after.Totals);
        Assert.Equal(3, after.Lessons.Single(l => l.LessonId == "r1").Completions);
    }

    [Fact]
    public async Task Apply_OlderOrRepeatedContribution_IsIgnored()
    {
        var (communityId, members) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Day, null));
        await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r2", LessonChannel.Online, null, Day, null));
        var community = fixture.Community(communityId);
        var current = Assert.Single(await member.GetContributions());
        var stale = current with { Version = current.Version - 1, Points = 10, CompletedLessonIds = ["r1"], CompletedRequiredLessons = 1 };

        await community.Apply(stale);
        await community.Apply(current);

        var rollup = await community.GetRollup(null);
        Assert.Equal(15, rollup.Totals.TotalPoints);
        Assert.Equal(2, rollup.Totals.TotalLessonCompletions);
    }

    [Fact]
    public async Task Reconcile_RebuildsTheSameRollupFromMembers()
    {
        var (communityId, members) = await fixture.NewCommunity(5);
        foreach (var (member, i) in members.Select((m, i) => (m, i)))
        {
            foreach (var lesson in LessonIds.Take(i))
            {
                await fixture.Member(member).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), lesson, LessonChannel.Online, null, Day, null));
            }
        }

        var community = fixture.Community(communityId);
        var live = await community.GetRollup(null);
        var answered = await community.Reconcile();
        var rebuilt = await community.GetRollup(null);

        Assert.Equal(5, answered);
        Assert.Equal(live.Totals, rebuilt.Totals);
        Assert.Equal(live.Lessons, rebuilt.Lessons);
    }

    [Fact]
    public async Task ListMembers_PagesInIdOrderWithoutGapsOrRepeats()
    {
        var (communityId, members) = await fixture.NewCommunity(7);
        var community = fixture.Community(communityId);
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await community.ListMembers(new RosterQuery(null, 3, after, null));
            Assert.Equal(7, page.TotalSize);
            seen.AddRange(page.Members.Select(m => m.Entry.MemberId));
            after = page.LastMemberId;
        }
        while (after is not null);

        Assert.Equal(members.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task GetRollup_UnknownCommunity_IsNotFound()
    {
        var refusal = await Assert.ThrowsAsync<ProgressException>(() => fixture.Community("no-such-community").GetRollup(null));

        Assert.Equal(ErrorKind.NotFound, refusal.Kind);
        Assert.Equal("community_id", refusal.Field);
    }

    private async Task<Recount> RecountMembers(IEnumerable<string> memberIds)
    {
        var recount = new Recount();
        foreach (var id in memberIds)
        {
            var progress = await fixture.Member(id).GetProgress(null);
            recount.Points += progress.Points;
            recount.CheckIns += progress.CheckIns;
            recount.Completed += progress.Completed ? 1 : 0;
            recount.LessonCompletions += progress.Lessons.Length;
            recount.ProgressSum += progress.Progress;
            recount.Members++;
            foreach (var lesson in progress.Lessons)
            {
                recount.PerLesson[lesson.LessonId] = recount.PerLesson.GetValueOrDefault(lesson.LessonId) + 1;
            }
        }

        return recount;
    }

    private sealed class Recount
    {
        public long Points;
        public long CheckIns;
        public int Completed;
        public long LessonCompletions;
        public double ProgressSum;
        public int Members;
        public Dictionary<string, int> PerLesson { get; } = [];

        public double AverageProgress => ProgressSum / Members;
    }
}

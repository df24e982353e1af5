using FsCheck;
using FsCheck.Fluent;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>The points rules as pure code: caps, streaks, quiz rules, day boundaries and voids, without a cluster.</summary>
public sealed class PointsRulesTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static ResolvedSeason Season(PointsRules? rules = null) => new(new SeasonSnapshot(ClusterFixture.Season with
    {
        Rules = rules ?? new PointsRules
        {
            CheckInPoints = 2,
            DailyCaps = [new DailyCap(ActivityKind.CheckIn, 3), new DailyCap(ActivityKind.Quiz, 8), new DailyCap(ActivityKind.Volunteering, 5)],
            StreakBonuses = [new StreakBonus(3, 5), new StreakBonus(5, 10)],
        },
        Quizzes = [new QuizDefinition("q1", "t1", "Quiz one", 10), new QuizDefinition("q2", "t2", "Quiz two", 6)],
    }, Current: true));

    /// <summary>One generated member action; <see cref="Id"/> picks its event id from a small pool, so repeats happen.</summary>
    public sealed record Move(int Kind, int Target, int Day, int Minute, int Amount, int Id);

    private static readonly Gen<Move> Moves =
        from kind in Gen.Choose(0, 4)
        from target in Gen.Choose(0, 3)
        from day in Gen.Choose(0, 6)
        from minute in Gen.Choose(0, 24 * 60 - 1)
        from amount in Gen.Choose(0, 10)
        from id in Gen.Choose(0, 40)
        select new Move(kind, target, day, minute, amount, id);

    private static (MemberSeasonState Facts, EventIndex Index) Apply(ResolvedSeason season, IEnumerable<Move> actions)
    {
        var facts = new MemberSeasonState();
        var index = new EventIndex();
        foreach (var a in actions)
        {
            var eventId = new Guid(a.Id, 0, 0, [(byte)a.Kind, (byte)a.Target, (byte)a.Day, (byte)(a.Minute / 256), (byte)(a.Minute % 256), (byte)a.Amount, 0, 0]);
            if (index.TryGet(eventId, out _))
            {
                continue; // the same event again: the grain answers "duplicate" and changes nothing
            }

            var at = new DateTimeOffset(2024, 1, 10, 0, 0, 0, Shanghai).AddDays(a.Day).AddMinutes(a.Minute);
            var outcome = a.Kind switch
            {
                0 => MemberActivities.CompleteLesson(facts, season, new CompleteLessonCommand(eventId, new[] { "r1", "r2", "r3", "o1" }[a.Target], LessonChannel.Online, null, at, null), Now),
                1 => MemberActivities.CheckIn(facts, season, new CheckInCommand(eventId, a.Target % 2 == 0 ? "s1" : "s2", at, null), Now),
                2 => MemberActivities.AttemptQuiz(facts, season, new QuizAttemptCommand(eventId, a.Target % 2 == 0 ? "q1" : "q2", a.Amount, 10, at, null), Now),
                3 => MemberActivities.Volunteer(facts, season, new VolunteerCommand(eventId, "safety patrol", 1 + a.Amount % 4, at, null), Now),
                _ => MemberActivities.SubmitReflection(facts, season, new ReflectionCommand(eventId, "学习冬训第一课，很有收获。" + a.Amount, at, null), Now),
            };
            if (outcome.Changed)
            {
                index.Add(eventId, new AppliedEvent("s", AppliedEventKind.Lesson, ""));
            }
        }

        return (facts, index);
    }

    [Fact]
    public void AnyOrderOrRepetitionOfTheSameEvents_GivesTheSamePointsCapsAndStreaks()
    {
        var season = Season();
        var scenario =
            from actions in Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Moves, n))
            from shuffle in Gen.Shuffle(actions)
            from repeats in Gen.SubListOf(actions)
            select (actions, reordered: shuffle.Concat(repeats).ToArray());

        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var (a, _) = Apply(season, s.actions);
            var (b, _) = Apply(season, s.reordered);
            var first = PointsCalculator.Compute(a, season.Definition.Rules, season.Zone);
            var second = PointsCalculator.Compute(b, season.Definition.Rules, season.Zone);
            return first.Total == second.Total
                && first.Total == first.Ledger.Sum(e => e.Points)
                && first.CurrentStreak == second.CurrentStreak
                && first.LongestStreak == second.LongestStreak
                && first.Ledger.Where(e => e.Kind == ActivityKind.CheckIn).GroupBy(e => PointsCalculator.DayOf(e.At, season.Zone)).All(g => g.Sum(e => e.Points) <= 3)
                && first.Ledger.Count(e => e.Kind == ActivityKind.Streak) == second.Ledger.Count(e => e.Kind == ActivityKind.Streak);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void VoidingAnyEvent_ReversesExactlyWhatItEarned_Once()
    {
        var season = Season(new PointsRules { CheckInPoints = 2, DailyCaps = [new DailyCap(ActivityKind.CheckIn, 3)] });
        Prop.ForAll(Gen.ArrayOf(Moves).Where(a => a.Length > 0).SelectMany(a => Gen.Choose(0, a.Length - 1).Select(i => (a, i))).ToArbitrary(), s =>
        {
            var (facts, _) = Apply(season, s.a);
            var all = facts.Lessons.Select(l => l.EventId).Concat(facts.CheckIns.Select(c => c.EventId))
                .Concat(facts.QuizAttempts.Select(q => q.EventId)).Concat(facts.Volunteering.Select(v => v.EventId)).ToArray();
            if (all.Length == 0)
            {
                return true;
            }

            var target = all[s.i % all.Length];
            var before = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);
            var earned = before.AwardedByEvent.GetValueOrDefault(target);
            var first = MemberActivities.Void(facts, new VoidEventCommand(target, "mistake", "admin-1"), Now);
            var second = MemberActivities.Void(facts, new VoidEventCommand(target, "mistake again", "admin-1"), Now);
            var after = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);
            var streakChange = after.Ledger.Where(e => e.Kind == ActivityKind.Streak).Sum(e => e.Points)
                - before.Ledger.Where(e => e.Kind == ActivityKind.Streak).Sum(e => e.Points);
            return first.Changed && !second.Changed
                && after.Total == before.Total - earned + streakChange
                && after.Ledger.Count(e => e.EventId == target && e.Points < 0) == (earned > 0 ? 1 : 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DailyCap_CountsCalendarDaysInShanghai()
    {
        var season = Season(new PointsRules { CheckInPoints = 2, DailyCaps = [new DailyCap(ActivityKind.CheckIn, 2)] });
        var facts = new MemberSeasonState();
        // 23:50 and 23:55 on the 10th and 00:05 on the 11th, Shanghai time (15:50, 15:55, 16:05 UTC).
        foreach (var (site, at) in new[] { ("s1", "2024-01-10T15:50:00Z"), ("s2", "2024-01-10T15:55:00Z"), ("s1", "2024-01-10T16:05:00Z") })
        {
            MemberActivities.CheckIn(facts, season, new CheckInCommand(Guid.NewGuid(), site, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), null), Now);
        }

        var summary = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);

        Assert.Equal([2, 0, 2], summary.Ledger.Select(e => e.Points));
        Assert.Contains("cap", summary.Ledger[1].Reason);
        Assert.Equal(4, summary.Total);
        Assert.Equal(2, summary.CurrentStreak);
    }

    [Fact]
    public void Quiz_BestAttemptCounts_AndABetterAttemptEarnsTheDifference()
    {
        var season = Season(new PointsRules { QuizAttempts = QuizAttemptRule.Best });
        var facts = new MemberSeasonState();
        var day = new DateTimeOffset(2024, 1, 10, 9, 0, 0, Shanghai);
        foreach (var (score, hour) in new[] { (6, 0), (4, 1), (9, 2) })
        {
            MemberActivities.AttemptQuiz(facts, season, new QuizAttemptCommand(Guid.NewGuid(), "q1", score, 10, day.AddHours(hour), null), Now);
        }

        var summary = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);

        Assert.Equal(9, summary.Total);
        Assert.Equal([6, 3], summary.Ledger.Select(e => e.Points));
        var firstOnly = PointsCalculator.Compute(facts, season.Definition.Rules with { QuizAttempts = QuizAttemptRule.First }, season.Zone);
        Assert.Equal(6, firstOnly.Total);
    }

    [Fact]
    public void StreakBonus_IsAwardedWhenARunReachesItsLength_AndAgainForANewRun()
    {
        var season = Season(new PointsRules { CheckInPoints = 1, StreakBonuses = [new StreakBonus(3, 5)] });
        var facts = new MemberSeasonState();
        foreach (var day in new[] { 10, 11, 12, 13, 15, 16, 17 })
        {
            MemberActivities.CheckIn(facts, season, new CheckInCommand(Guid.NewGuid(), "s1", new DateTimeOffset(2024, 1, day, 12, 0, 0, Shanghai), null), Now);
        }

        var summary = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);

        var bonuses = summary.Ledger.Where(e => e.Kind == ActivityKind.Streak).ToArray();
        Assert.Equal(2, bonuses.Length);
        Assert.Contains("2024-01-12", bonuses[0].Reason);
        Assert.Contains("2024-01-17", bonuses[1].Reason);
        Assert.Equal(7 + 10, summary.Total);
        Assert.Equal((3, 4), (summary.CurrentStreak, summary.LongestStreak));
    }

    [Fact]
    public void Reflection_EarnsOnApproval_AndTheFeaturedBonusOnce()
    {
        var season = Season(new PointsRules { ReflectionPoints = 3, FeaturedReflectionBonus = 5 });
        var facts = new MemberSeasonState();
        var id = Guid.NewGuid();
        MemberActivities.SubmitReflection(facts, season, new ReflectionCommand(id, "读原著学原文悟原理，收获很大。", null, null), Now);
        var pending = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone).Total;

        MemberActivities.Moderate(facts, season, new ModerateReflectionCommand(Guid.NewGuid(), id, ModerationDecision.Approve, "wenhua-admin"), Now);
        MemberActivities.Moderate(facts, season, new ModerateReflectionCommand(Guid.NewGuid(), id, ModerationDecision.Feature, "wenhua-admin"), Now);
        var refusal = Assert.Throws<ProgressException>(() =>
            MemberActivities.Moderate(facts, season, new ModerateReflectionCommand(Guid.NewGuid(), id, ModerationDecision.Feature, "wenhua-admin"), Now));

        Assert.Equal(0, pending);
        Assert.Equal(8, PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone).Total);
        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(ReflectionStatus.Featured, facts.Reflections.Single().Status);
    }

    [Theory]
    [InlineData(0, 10, null)]
    [InlineData(11, 10, "score")]
    [InlineData(-1, 10, "score")]
    [InlineData(5, 0, "max_score")]
    public void Quiz_ScoreOutsideItsRange_IsRefused(int score, int max, string? field)
    {
        var facts = new MemberSeasonState();
        var attempt = () => MemberActivities.AttemptQuiz(facts, Season(), new QuizAttemptCommand(Guid.NewGuid(), "q1", score, max, null, null), Now);

        if (field is null)
        {
            Assert.True(attempt().Changed);
        }
        else
        {
            Assert.Equal(field, Assert.Throws<ProgressException>(() => attempt()).Field);
            Assert.Empty(facts.QuizAttempts);
        }
    }
}

using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>
/// The fast <see cref="PointsCalculator"/> against the plain one it replaced
/// (<see cref="ReferencePointsCalculator"/>). The facts are built directly rather than through
/// <see cref="MemberActivities"/>, so they include what the grain would refuse (repeats, ties in
/// time and event id, negative points, voids of unknown events) and the edges of the rules are
/// reached more often; the zones include DST changes, one of them at midnight.
/// </summary>
public sealed class PointsCalculatorReferenceTests
{
    private static readonly string[] Zones = ["Asia/Shanghai", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe"];

    /// <summary>Spans the 2024 DST changes of the zones above (31 March in Berlin, 7 April in the other two).</summary>
    private static readonly DateTimeOffset Start = new(2024, 3, 29, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan[] Offsets = [TimeSpan.Zero, TimeSpan.FromHours(8), TimeSpan.FromHours(-4)];

    /// <summary>One generated fact; small pools for ids, targets and times, so repeats and ties happen.</summary>
    public sealed record RawFact(int Kind, int Id, int Target, int HalfHour, int Offset, int Amount, int Variant);

    public sealed record Scenario(RawFact[] Facts, int[] Voids, int Zone, bool FirstAttempt, (int Kind, int Max)[] Caps, (int Days, int Points)[] Bonuses);

    private static readonly Gen<RawFact> Facts =
        from kind in Gen.Choose(0, 4)
        from id in Gen.Choose(0, 30)
        from target in Gen.Choose(0, 3)
        from halfHour in Gen.Choose(0, 14 * 48 - 1)
        from offset in Gen.Choose(0, Offsets.Length - 1)
        from amount in Gen.Choose(-1, 10)
        from variant in Gen.Choose(0, 8)
        select new RawFact(kind, id, target, halfHour, offset, amount, variant);

    private static readonly Gen<Scenario> Scenarios =
        from facts in Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Facts, n))
        from voids in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 32), n))
        from zone in Gen.Choose(0, Zones.Length - 1)
        from firstAttempt in Gen.Elements(false, true)
        from caps in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 6).Zip(Gen.Choose(0, 8)), n))
        from bonuses in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 5).Zip(Gen.Choose(-1, 6)), n))
        select new Scenario(facts, voids, zone, firstAttempt, caps, bonuses);

    [Fact]
    public void Compute_OnAnyFacts_GivesWhatThePlainCalculatorGives_LedgerIncluded()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zones[scenario.Zone]);
            var rules = new PointsRules
            {
                QuizAttempts = scenario.FirstAttempt ? QuizAttemptRule.First : QuizAttemptRule.Best,
                DailyCaps = [.. scenario.Caps.Select(c => new DailyCap((ActivityKind)c.Kind, c.Max))],
                StreakBonuses = [.. scenario.Bonuses.Select(b => new StreakBonus(b.Days, b.Points))],
            };
            var facts = Build(scenario, zone);

            var expected = ReferencePointsCalculator.Compute(facts, rules, zone);
            var actual = PointsCalculator.Compute(facts, rules, zone);

            // The ledger is read only now, after the facts have moved on: it must still be the one of the facts given.
            facts.Voids.Add(new VoidRecord(Id(0), "later", null, Start));
            facts.Lessons.Clear();

            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.AwardedByEvent.ToArray(), actual.AwardedByEvent.ToArray());
            Assert.Equal(expected.Counted.ToArray(), actual.Counted.ToArray());
            Assert.Equal(Exact(expected.LastActivityAt), Exact(actual.LastActivityAt));
            Assert.Equal((expected.CurrentStreak, expected.LongestStreak), (actual.CurrentStreak, actual.LongestStreak));
            Assert.Equal(expected.Ledger.Select(e => (e, e.At.Offset)), actual.Ledger.Select(e => (e, e.At.Offset)));
            Assert.Equal(actual.Total, actual.Ledger.Sum(e => e.Points));
        }));
    }

    /// <summary>An instant with its offset: equal instants with other offsets are different answers here.</summary>
    private static (DateTimeOffset, TimeSpan)? Exact(DateTimeOffset? at) => at is { } a ? (a, a.Offset) : null;

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static MemberSeasonState Build(Scenario scenario, TimeZoneInfo zone)
    {
        var facts = new MemberSeasonState();
        foreach (var f in scenario.Facts)
        {
            var id = Id(f.Id);
            var at = Start.AddMinutes(30 * f.HalfHour).ToOffset(Offsets[f.Offset]);
            switch (f.Kind)
            {
                case 0:
                    facts.Lessons.Add(new LessonCompletionRecord(id, $"l{f.Target}", (LessonChannel)(1 + f.Variant % 3), f.Variant < 3 ? null : $"v{f.Variant}",
                        at, at, f.Amount));
                    break;
                case 1:
                    // The stored day is the command's; a few disagree with the zone, as after a change of zone.
                    var day = f.Variant == 0 ? DateOnly.FromDateTime(at.UtcDateTime) : PointsCalculator.DayOf(at, zone);
                    facts.CheckIns.Add(new CheckInRecord(id, $"s{f.Target % 2}", at, day, f.Amount));
                    break;
                case 2:
                    facts.QuizAttempts.Add(new QuizAttemptRecord(id, $"q{f.Target % 2}", f.Variant, 8, f.Amount, at));
                    break;
                case 3:
                    facts.Volunteering.Add(new VolunteerRecord(id, "safety patrol", 0.25 * (1 + f.Variant), at, f.Amount));
                    break;
                default:
                    facts.Reflections.Add(new ReflectionRecord(id, "学习冬训第一课，很有收获。", at, ReflectionStatus.Pending, Moderation(f, at)));
                    break;
            }
        }

        foreach (var v in scenario.Voids)
        {
            facts.Voids.Add(new VoidRecord(Id(v), $"mistake {v}", v % 3 == 0 ? null : "admin-1", Start.AddHours(v * 7).ToOffset(Offsets[v % Offsets.Length])));
        }

        return facts;
    }

    /// <summary>Up to three decisions, each a few hours after the last; their ids come from the same pool as events.</summary>
    private static ImmutableArray<ModerationRecord> Moderation(RawFact f, DateTimeOffset submitted)
    {
        var history = ImmutableArray.CreateBuilder<ModerationRecord>();
        for (var i = 0; i < f.Variant % 4; i++)
        {
            var decision = (ModerationDecision)(1 + (f.Variant + i + f.Target) % 3);
            history.Add(new ModerationRecord(Id((f.Id + 7 * (i + 1)) % 31), decision, $"admin-{i}", submitted.AddHours(5 * (i + f.Target)), f.Amount + i));
        }

        return history.ToImmutable();
    }
}

using System.Buffers;
using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Members;

/// <summary>
/// What a season's facts add up to. Every write needs the totals, but only <c>GetLedger</c> reads
/// the ledger, so its entries (a formatted reason each) are built the first time it is read, from
/// the decisions <see cref="PointsCalculator"/> made while it added up the totals.
/// </summary>
internal sealed class PointsSummary(
    Func<ImmutableArray<LedgerEntry>> ledger,
    int total,
    IReadOnlyDictionary<Guid, int> awardedByEvent,
    IReadOnlySet<Guid> counted,
    DateTimeOffset? lastActivityAt,
    int currentStreak,
    int longestStreak)
{
    private readonly Lazy<ImmutableArray<LedgerEntry>> _ledger = new(ledger);

    public ImmutableArray<LedgerEntry> Ledger => _ledger.Value;

    public int Total { get; } = total;

    public IReadOnlyDictionary<Guid, int> AwardedByEvent { get; } = awardedByEvent;

    public IReadOnlySet<Guid> Counted { get; } = counted;

    public DateTimeOffset? LastActivityAt { get; } = lastActivityAt;

    public int CurrentStreak { get; } = currentStreak;

    public int LongestStreak { get; } = longestStreak;
}

/// <summary>
/// The part of a <see cref="PointsSummary"/> a member keeps between events: what reads and the
/// community contribution need. The rest (awards per event, the ledger's decisions) is computed
/// again when a reply or the ledger asks for it.
/// </summary>
internal readonly record struct PointsTotals(int Total, DateTimeOffset? LastActivityAt, int CurrentStreak, int LongestStreak)
{
    public static PointsTotals Of(PointsSummary summary) =>
        new(summary.Total, summary.LastActivityAt, summary.CurrentStreak, summary.LongestStreak);
}

/// <summary>
/// Derives the points ledger from a season's facts. Events are taken in the order the member acted
/// (time, then event id), so the result depends only on the set of facts: the first completion of
/// a lesson and the first check-in per site and day count, daily caps per activity kind fill in
/// that order, a quiz earns what its best (or first) attempt is worth, and runs of
/// consecutive active days earn the streak bonuses. A voided event keeps the cap room it used and
/// is reversed by exactly what it earned.
/// </summary>
/// <remarks>
/// This runs on every member event, so the pass that decides the points formats nothing: it keeps
/// what it decided (<see cref="Decisions"/>) and the ledger's reasons are written from that only
/// when the ledger is read.
/// </remarks>
internal static class PointsCalculator
{
    public static PointsSummary Compute(MemberSeasonState facts, PointsRules rules, TimeZoneInfo zone)
    {
        var activeDays = new List<DateOnly>(FactCount(facts));
        var items = Items(facts, new ZoneDays(zone), activeDays);

        // Small keys are sorted rather than the items, in a pooled array as they are needed only here.
        // Ties (same time and event id) stay as they always were: the same sort algorithm, the same
        // comparisons, the same starting order.
        var rented = ArrayPool<SortKey>.Shared.Rent(items.Length);
        var order = rented.AsSpan(0, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            order[i] = new SortKey(items[i].At.UtcTicks, items[i].Order, i);
        }

        order.Sort(static (a, b) => a.UtcTicks != b.UtcTicks ? a.UtcTicks.CompareTo(b.UtcTicks) : a.Order.CompareTo(b.Order));

        var caps = new int?[(int)ActivityKind.Streak + 1];
        for (var kind = ActivityKind.Unspecified; kind <= ActivityKind.Streak; kind++)
        {
            caps[(int)kind] = rules.CapFor(kind); // once per kind, not once per event
        }

        var decisions = new Decisions(items, rules, zone);
        var total = 0;

        // Sized up front: growing them would allocate about as much again as they hold.
        var awarded = new Dictionary<Guid, int>(items.Length);
        var counted = new HashSet<Guid>(items.Length);
        var capRoom = new Dictionary<(DateOnly, ActivityKind), int>(items.Length);
        var lessonsDone = new HashSet<string>(facts.Lessons.Count, StringComparer.Ordinal);
        var checkedIn = new HashSet<(string, DateOnly)>(facts.CheckIns.Count);
        Dictionary<string, int>? bestQuiz = null;
        HashSet<string>? quizAttempted = null;
        foreach (var (_, _, i) in order)
        {
            var item = items[i];
            var raw = item.Points;
            var repeat = item.Source switch
            {
                LessonCompletionRecord l => !lessonsDone.Add(l.LessonId),
                CheckInRecord c => !checkedIn.Add((c.SiteId, c.Day)),
                _ => false,
            };
            if (repeat)
            {
                continue; // a repeat: the earlier one counted
            }

            counted.Add(item.Owner);
            if (item.Source is QuizAttemptRecord { QuizId: var quizId })
            {
                bestQuiz ??= new(StringComparer.Ordinal);
                var best = bestQuiz.GetValueOrDefault(quizId);
                raw = rules.QuizAttempts == QuizAttemptRule.First
                    ? ((quizAttempted ??= new(StringComparer.Ordinal)).Add(quizId) ? item.Points : 0)
                    : Math.Max(0, item.Points - best);
                bestQuiz[quizId] = Math.Max(best, item.Points);
            }

            var award = Capped(raw, caps[(int)item.Kind], (item.Day, item.Kind), capRoom, out var capped);
            if (award == 0 && !capped)
            {
                continue;
            }

            decisions.Awards.Add(new Award(i, award, capped));
            awarded[item.Owner] = awarded.GetValueOrDefault(item.Owner) + award;
            total = checked(total + award);
        }

        ArrayPool<SortKey>.Shared.Return(rented);
        activeDays.Sort();
        var bonuses = rules.StreakBonuses.IsDefault ? [] : rules.StreakBonuses;
        int current = 0, longest = 0;
        DateOnly? previous = null;
        foreach (var day in activeDays)
        {
            if (previous == day)
            {
                continue; // one day counts once, however many things happened on it
            }

            current = previous is { } p && p.AddDays(1) == day ? current + 1 : 1;
            longest = Math.Max(longest, current);
            previous = day;
            foreach (var bonus in bonuses)
            {
                if (bonus.Days == current && bonus.Points > 0)
                {
                    var award = Capped(bonus.Points, caps[(int)ActivityKind.Streak], (day, ActivityKind.Streak), capRoom, out _);
                    decisions.Streaks.Add(new StreakAward(day, bonus.Days, award));
                    total = checked(total + award);
                }
            }
        }

        foreach (var voided in facts.Voids)
        {
            var earned = awarded.GetValueOrDefault(voided.EventId);
            if (earned != 0)
            {
                // The kind is looked up now: the facts' lists may change before the ledger is read.
                decisions.Reversals.Add(new Reversal(voided, earned, KindOf(facts, voided.EventId)));
                total = checked(total - earned);
            }
        }

        return new PointsSummary(decisions.Ledger, total, awarded, counted, LastActivity(facts), current, longest);
    }

    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    private static int Capped(int raw, int? cap, (DateOnly, ActivityKind) key, Dictionary<(DateOnly, ActivityKind), int> room, out bool capped)
    {
        capped = false;
        if (cap is not { } max || raw <= 0)
        {
            return Math.Max(0, raw);
        }

        var left = room.TryGetValue(key, out var r) ? r : max;
        var award = Math.Min(raw, left);
        room[key] = left - award;
        capped = award < raw;
        return award;
    }

    /// <summary>
    /// One thing that may earn points. <see cref="Source"/> is the (immutable) fact it came from,
    /// which the ledger's reason is written from; <see cref="Day"/> is its calendar day in the zone.
    /// </summary>
    private readonly record struct Item(DateTimeOffset At, Guid Order, Guid Owner, ActivityKind Kind, int Points, DateOnly Day, object Source);

    /// <summary>Where an item goes in time order: <see cref="Item.At"/> as UTC ticks (what DateTimeOffset compares), then its event id.</summary>
    private readonly record struct SortKey(long UtcTicks, Guid Order, int Item);

    /// <summary>An item that made it into the ledger, with what it earned.</summary>
    private readonly record struct Award(int Item, int Points, bool Capped);

    private readonly record struct StreakAward(DateOnly Day, int Days, int Points);

    private readonly record struct Reversal(VoidRecord Void, int Earned, ActivityKind Kind);

    private static int FactCount(MemberSeasonState facts) =>
        facts.Lessons.Count + facts.CheckIns.Count + facts.QuizAttempts.Count + facts.Volunteering.Count + facts.Reflections.Count;

    /// <summary>
    /// The items in the order of the lists (which the sort's ties depend on), each day worked out
    /// once; the days on which the member themselves acted (not voided) go to
    /// <paramref name="activeDays"/>: admins' decisions are not the member's activity.
    /// </summary>
    private static Item[] Items(MemberSeasonState facts, ZoneDays days, List<DateOnly> activeDays)
    {
        var count = facts.Lessons.Count + facts.CheckIns.Count + facts.QuizAttempts.Count + facts.Volunteering.Count;
        foreach (var reflection in facts.Reflections)
        {
            foreach (var m in reflection.History)
            {
                count += m.Decision != ModerationDecision.Reject ? 1 : 0;
            }
        }

        var items = new Item[count];
        var n = 0;
        foreach (var l in facts.Lessons)
        {
            items[n++] = new Item(l.OccurredAt, l.EventId, l.EventId, ActivityKind.Lesson, l.Points, Active(l.OccurredAt, l.EventId), l);
        }

        foreach (var c in facts.CheckIns)
        {
            items[n++] = new Item(c.OccurredAt, c.EventId, c.EventId, ActivityKind.CheckIn, c.Points, Active(c.OccurredAt, c.EventId), c);
        }

        foreach (var q in facts.QuizAttempts)
        {
            items[n++] = new Item(q.OccurredAt, q.EventId, q.EventId, ActivityKind.Quiz, q.Value, Active(q.OccurredAt, q.EventId), q);
        }

        foreach (var v in facts.Volunteering)
        {
            items[n++] = new Item(v.OccurredAt, v.EventId, v.EventId, ActivityKind.Volunteering, v.Points, Active(v.OccurredAt, v.EventId), v);
        }

        foreach (var reflection in facts.Reflections)
        {
            Active(reflection.SubmittedAt, reflection.EventId);
            foreach (var m in reflection.History)
            {
                if (m.Decision != ModerationDecision.Reject)
                {
                    items[n++] = new Item(m.At, m.EventId, reflection.EventId, ActivityKind.Reflection, m.Points, days.DayOf(m.At), m);
                }
            }
        }

        return items;

        DateOnly Active(DateTimeOffset at, Guid eventId)
        {
            var day = days.DayOf(at);
            if (!IsVoided(facts, eventId))
            {
                activeDays.Add(day);
            }

            return day;
        }
    }

    /// <summary>The latest time the member acted (not voided); of equal instants, the first in list order, as its offset shows.</summary>
    private static DateTimeOffset? LastActivity(MemberSeasonState facts)
    {
        DateTimeOffset? last = null;
        foreach (var l in facts.Lessons)
        {
            Later(l.OccurredAt, l.EventId);
        }

        foreach (var c in facts.CheckIns)
        {
            Later(c.OccurredAt, c.EventId);
        }

        foreach (var q in facts.QuizAttempts)
        {
            Later(q.OccurredAt, q.EventId);
        }

        foreach (var v in facts.Volunteering)
        {
            Later(v.OccurredAt, v.EventId);
        }

        foreach (var r in facts.Reflections)
        {
            Later(r.SubmittedAt, r.EventId);
        }

        return last;

        void Later(DateTimeOffset at, Guid eventId)
        {
            if ((last is not { } l || at.CompareTo(l) > 0) && !IsVoided(facts, eventId))
            {
                last = at;
            }
        }
    }

    /// <summary>As <see cref="MemberSeasonState.IsVoided"/>, without a closure per call: voids are few.</summary>
    private static bool IsVoided(MemberSeasonState facts, Guid eventId)
    {
        foreach (var v in facts.Voids)
        {
            if (v.EventId == eventId)
            {
                return true;
            }
        }

        return false;
    }

    private static ActivityKind KindOf(MemberSeasonState facts, Guid eventId) =>
        facts.Lessons.Exists(l => l.EventId == eventId) ? ActivityKind.Lesson
        : facts.CheckIns.Exists(c => c.EventId == eventId) ? ActivityKind.CheckIn
        : facts.QuizAttempts.Exists(q => q.EventId == eventId) ? ActivityKind.Quiz
        : facts.Volunteering.Exists(v => v.EventId == eventId) ? ActivityKind.Volunteering
        : ActivityKind.Reflection;

    /// <summary>
    /// What <see cref="Compute"/> decided, in its order: the awards (items in time order), the
    /// streak bonuses, the reversals. Everything here is immutable or owned, so the ledger can be
    /// written later even if the facts' lists have changed since.
    /// </summary>
    private sealed class Decisions(Item[] items, PointsRules rules, TimeZoneInfo zone)
    {
        public List<Award> Awards { get; } = new(items.Length);

        public List<StreakAward> Streaks { get; } = [];

        public List<Reversal> Reversals { get; } = [];

        public ImmutableArray<LedgerEntry> Ledger()
        {
            var entries = new List<LedgerEntry>(Awards.Count + Streaks.Count + Reversals.Count);
            foreach (var (index, award, capped) in Awards)
            {
                var item = items[index];
                var (reason, rule) = ReasonAndRule(item.Source);
                entries.Add(new LedgerEntry(item.Owner, award, capped ? $"{reason} (daily {Describe(item.Kind)} cap of {rules.CapFor(item.Kind)} reached)" : reason,
                    item.At, item.Kind, capped ? $"{rule}; daily cap" : rule));
            }

            foreach (var (day, days, award) in Streaks)
            {
                entries.Add(new LedgerEntry(Guid.Empty, award, $"{days} consecutive days with activity, reached on {day:yyyy-MM-dd}", EndOf(day, zone),
                    ActivityKind.Streak, $"streak bonus: {days} days"));
            }

            foreach (var (voided, earned, kind) in Reversals)
            {
                entries.Add(new LedgerEntry(voided.EventId, -earned, $"Voided{(voided.ActorId is null ? "" : $" by {voided.ActorId}")}: {voided.Reason}",
                    voided.At, kind, "void reverses what the event earned"));
            }

            // Not a stable sort: entries at the same time keep the order they always had only because
            // they are added in the same order as before the ledger was made lazy.
            entries.Sort((a, b) => a.At.CompareTo(b.At));
            return [.. entries];
        }

        /// <summary>The reason and the rule an item's fact earns under.</summary>
        private (string Reason, string Rule) ReasonAndRule(object source) => source switch
        {
            LessonCompletionRecord l => ($"Completed lesson '{l.LessonId}'" + (l.DeliveredBy is null ? "" : $" ({Channel(l.Channel)} by {l.DeliveredBy})"),
                "lesson points, once per lesson"),
            CheckInRecord c => ($"Checked in at '{c.SiteId}' on {c.Day:yyyy-MM-dd}", "check-in points, once per site per day"),
            QuizAttemptRecord q => ($"Quiz '{q.QuizId}': {q.Score}/{q.MaxScore}",
                rules.QuizAttempts == QuizAttemptRule.First ? "quiz: first attempt counts" : "quiz: best attempt counts"),
            VolunteerRecord v => ($"Volunteered {v.Hours:0.##} h: {v.Activity}", "volunteer points per hour"),
            ModerationRecord m => m.Decision == ModerationDecision.Feature
                ? ($"Reflection featured (精选) by {m.ModeratorId}", "reflection featured bonus")
                : ($"Reflection approved by {m.ModeratorId}", "reflection points on approval"),
            _ => throw new InvalidOperationException($"No ledger reason for {source.GetType().Name}."),
        };

        private static string Describe(ActivityKind kind) => kind switch
        {
            ActivityKind.CheckIn => "check-in",
            ActivityKind.Volunteering => "volunteering",
            _ => kind.ToString().ToLowerInvariant(),
        };

        private static DateTimeOffset EndOf(DateOnly day, TimeZoneInfo zone)
        {
            var local = day.ToDateTime(new TimeOnly(23, 59, 59));
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        private static string Channel(LessonChannel channel) => channel switch
        {
            LessonChannel.HomeDelivery => "delivered at home",
            LessonChannel.InPerson => "in person",
            _ => "online",
        };
    }
}

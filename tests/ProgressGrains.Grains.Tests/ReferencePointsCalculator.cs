using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>What <see cref="ReferencePointsCalculator"/> gives: the summary with its ledger built eagerly.</summary>
internal sealed record ReferencePointsSummary(
    ImmutableArray<LedgerEntry> Ledger,
    int Total,
    IReadOnlyDictionary<Guid, int> AwardedByEvent,
    IReadOnlySet<Guid> Counted,
    DateTimeOffset? LastActivityAt,
    int CurrentStreak,
    int LongestStreak);

/// <summary>
/// <see cref="PointsCalculator"/> as it was before the ledger became lazy (commit e7c2b9c), kept
/// verbatim (renamed) as the straightforward reference the fast one must agree with on any facts.
/// A deliberate change of a rule has to be made here as well, or this copy and its test retired.
/// </summary>
internal static class ReferencePointsCalculator
{
    public static ReferencePointsSummary Compute(MemberSeasonState facts, PointsRules rules, TimeZoneInfo zone)
    {
        var items = Items(facts);
        items.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));

        var entries = new List<LedgerEntry>(items.Count + facts.Voids.Count);
        var awarded = new Dictionary<Guid, int>();
        var capRoom = new Dictionary<(DateOnly, ActivityKind), int>();
        var bestQuiz = new Dictionary<string, int>(StringComparer.Ordinal);
        var quizAttempted = new HashSet<string>(StringComparer.Ordinal);
        var once = new HashSet<string>(StringComparer.Ordinal);
        var counted = new HashSet<Guid>();
        foreach (var item in items)
        {
            var raw = item.Points;
            var rule = item.Rule;
            if (item.OnceKey is { } key && !once.Add(key))
            {
                continue; // a repeat: the earlier one counted
            }

            counted.Add(item.Owner);
            if (item.QuizId is { } quizId)
            {
                var best = bestQuiz.GetValueOrDefault(quizId);
                raw = rules.QuizAttempts == QuizAttemptRule.First
                    ? (quizAttempted.Add(quizId) ? item.Points : 0)
                    : Math.Max(0, item.Points - best);
                bestQuiz[quizId] = Math.Max(best, item.Points);
                rule = rules.QuizAttempts == QuizAttemptRule.First ? "quiz: first attempt counts" : "quiz: best attempt counts";
            }

            var day = DayOf(item.At, zone);
            var award = Capped(raw, rules.CapFor(item.Kind), (day, item.Kind), capRoom, out var capped);
            if (award == 0 && !capped)
            {
                continue;
            }

            entries.Add(new LedgerEntry(item.Owner, award, capped ? $"{item.Reason} (daily {Describe(item.Kind)} cap of {rules.CapFor(item.Kind)} reached)" : item.Reason,
                item.At, item.Kind, capped ? $"{rule}; daily cap" : rule));
            awarded[item.Owner] = awarded.GetValueOrDefault(item.Owner) + award;
        }

        var activity = ActivityTimes(facts).ToArray();
        var activeDays = new SortedSet<DateOnly>(activity.Select(t => DayOf(t, zone)));
        var (current, longest) = Streaks(activeDays);
        foreach (var (day, days, points) in StreakAwards(activeDays, rules.StreakBonuses))
        {
            var at = EndOf(day, zone);
            var award = Capped(points, rules.CapFor(ActivityKind.Streak), (day, ActivityKind.Streak), capRoom, out _);
            entries.Add(new LedgerEntry(Guid.Empty, award, $"{days} consecutive days with activity, reached on {day:yyyy-MM-dd}", at, ActivityKind.Streak, $"streak bonus: {days} days"));
        }

        foreach (var voided in facts.Voids)
        {
            var earned = awarded.GetValueOrDefault(voided.EventId);
            if (earned != 0)
            {
                entries.Add(new LedgerEntry(voided.EventId, -earned, $"Voided{(voided.ActorId is null ? "" : $" by {voided.ActorId}")}: {voided.Reason}",
                    voided.At, KindOf(facts, voided.EventId), "void reverses what the event earned"));
            }
        }

        entries.Sort((a, b) => a.At.CompareTo(b.At));
        var lastActivity = activity.Length == 0 ? (DateTimeOffset?)null : activity.Max();
        return new ReferencePointsSummary([.. entries], entries.Sum(e => e.Points), awarded, counted, lastActivity, current, longest);
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

    private sealed record Item(DateTimeOffset At, Guid Order, Guid Owner, ActivityKind Kind, int Points, string Reason, string Rule,
        string? QuizId = null, string? OnceKey = null);

    private static List<Item> Items(MemberSeasonState facts)
    {
        var items = new List<Item>();
        items.AddRange(facts.Lessons.Select(l => new Item(l.OccurredAt, l.EventId, l.EventId, ActivityKind.Lesson, l.Points,
            $"Completed lesson '{l.LessonId}'" + (l.DeliveredBy is null ? "" : $" ({Channel(l.Channel)} by {l.DeliveredBy})"), "lesson points, once per lesson",
            OnceKey: "lesson:" + l.LessonId)));
        items.AddRange(facts.CheckIns.Select(c => new Item(c.OccurredAt, c.EventId, c.EventId, ActivityKind.CheckIn, c.Points,
            $"Checked in at '{c.SiteId}' on {c.Day:yyyy-MM-dd}", "check-in points, once per site per day",
            OnceKey: $"check-in:{c.SiteId}:{c.Day:yyyy-MM-dd}")));
        items.AddRange(facts.QuizAttempts.Select(q => new Item(q.OccurredAt, q.EventId, q.EventId, ActivityKind.Quiz, q.Value,
            $"Quiz '{q.QuizId}': {q.Score}/{q.MaxScore}", "quiz", QuizId: q.QuizId)));
        items.AddRange(facts.Volunteering.Select(v => new Item(v.OccurredAt, v.EventId, v.EventId, ActivityKind.Volunteering, v.Points,
            $"Volunteered {v.Hours:0.##} h: {v.Activity}", "volunteer points per hour")));
        foreach (var reflection in facts.Reflections)
        {
            items.AddRange(reflection.History.Where(m => m.Decision != ModerationDecision.Reject).Select(m => new Item(m.At, m.EventId, reflection.EventId,
                ActivityKind.Reflection, m.Points,
                m.Decision == ModerationDecision.Feature ? $"Reflection featured (精选) by {m.ModeratorId}" : $"Reflection approved by {m.ModeratorId}",
                m.Decision == ModerationDecision.Feature ? "reflection featured bonus" : "reflection points on approval")));
        }

        return items;
    }

    /// <summary>When the member themselves acted (not voided); admins' decisions are not the member's activity.</summary>
    private static IEnumerable<DateTimeOffset> ActivityTimes(MemberSeasonState facts) =>
        facts.Lessons.Where(l => !facts.IsVoided(l.EventId)).Select(l => l.OccurredAt)
            .Concat(facts.CheckIns.Where(c => !facts.IsVoided(c.EventId)).Select(c => c.OccurredAt))
            .Concat(facts.QuizAttempts.Where(q => !facts.IsVoided(q.EventId)).Select(q => q.OccurredAt))
            .Concat(facts.Volunteering.Where(v => !facts.IsVoided(v.EventId)).Select(v => v.OccurredAt))
            .Concat(facts.Reflections.Where(r => !facts.IsVoided(r.EventId)).Select(r => r.SubmittedAt));

    private static (int Current, int Longest) Streaks(SortedSet<DateOnly> days)
    {
        int current = 0, longest = 0;
        DateOnly? previous = null;
        foreach (var day in days)
        {
            current = previous is { } p && p.AddDays(1) == day ? current + 1 : 1;
            longest = Math.Max(longest, current);
            previous = day;
        }

        return (current, longest);
    }

    private static IEnumerable<(DateOnly Day, int Days, int Points)> StreakAwards(SortedSet<DateOnly> days, ImmutableArray<StreakBonus> bonuses)
    {
        if (bonuses.IsDefaultOrEmpty)
        {
            yield break;
        }

        var run = 0;
        DateOnly? previous = null;
        foreach (var day in days)
        {
            run = previous is { } p && p.AddDays(1) == day ? run + 1 : 1;
            previous = day;
            foreach (var bonus in bonuses)
            {
                if (bonus.Days == run && bonus.Points > 0)
                {
                    yield return (day, bonus.Days, bonus.Points);
                }
            }
        }
    }

    private static DateTimeOffset EndOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static ActivityKind KindOf(MemberSeasonState facts, Guid eventId) =>
        facts.Lessons.Exists(l => l.EventId == eventId) ? ActivityKind.Lesson
        : facts.CheckIns.Exists(c => c.EventId == eventId) ? ActivityKind.CheckIn
        : facts.QuizAttempts.Exists(q => q.EventId == eventId) ? ActivityKind.Quiz
        : facts.Volunteering.Exists(v => v.EventId == eventId) ? ActivityKind.Volunteering
        : ActivityKind.Reflection;

    private static string Describe(ActivityKind kind) => kind switch
    {
        ActivityKind.CheckIn => "check-in",
        ActivityKind.Volunteering => "volunteering",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Channel(LessonChannel channel) => channel switch
    {
        LessonChannel.HomeDelivery => "delivered at home",
        LessonChannel.InPerson => "in person",
        _ => "online",
    };
}

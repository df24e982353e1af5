using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;

namespace ProgressGrains.Grains.Members;

/// <summary>
/// What a member sends its community after each write: the season's totals from the facts and the
/// points summary. Runs on every event (and in the micro-benchmarks), so it derives what it can
/// from one pass over the completions.
/// </summary>
internal static class MemberContributions
{
    public static MemberContribution Build(MemberState state, ResolvedSeason season, PointsTotals summary, DateTimeOffset committedAt)
    {
        var facts = state.Seasons[season.SeasonId];
        var completions = MemberActivities.Completions(facts);
        ImmutableArray<string> lessonIds = [.. completions.Select(l => l.LessonId)];
        return new MemberContribution
        {
            Profile = state.Profile!,
            SeasonId = season.SeasonId,
            Version = state.Version,
            Points = summary.Total,
            CheckIns = MemberActivities.CountedCheckIns(facts),
            RequiredLessons = season.RequiredLessons,
            CompletedRequiredLessons = season.CountRequired(lessonIds),
            CompletedLessonIds = lessonIds,
            LastActivityAt = summary.LastActivityAt,
            Reflections = Reflections(facts),
            VolunteerHours = facts.Volunteering.Where(v => !facts.IsVoided(v.EventId)).Sum(v => v.Hours),
            QuizAttempts = facts.QuizAttempts.Count(q => !facts.IsVoided(q.EventId)),
            HomeDeliveries = facts.Lessons.Count(l => l.Channel == LessonChannel.HomeDelivery && !facts.IsVoided(l.EventId)),
            CommittedAt = committedAt,
            Lessons = [.. completions.Select(l => new LessonDone(l.LessonId, l.Channel, l.OccurredAt))],
            CompletedAt = CompletedAt(season, completions),
        };
    }

    public static ImmutableArray<ReflectionSummary> Reflections(MemberSeasonState facts) =>
        [.. facts.Reflections.Where(r => !facts.IsVoided(r.EventId)).Select(r => new ReflectionSummary(r.EventId, r.Status, r.SubmittedAt, r.Text))];

    /// <summary>When the completions (in the order they happened) first covered every required lesson.</summary>
    private static DateTimeOffset? CompletedAt(ResolvedSeason season, ImmutableArray<LessonCompletionRecord> completions)
    {
        var required = 0;
        foreach (var completion in completions) // already in the order they happened
        {
            if (season.Lessons.TryGetValue(completion.LessonId, out var lesson) && lesson.Required
                && ++required >= season.RequiredLessons && season.RequiredLessons > 0)
            {
                return completion.OccurredAt;
            }
        }

        return null;
    }
}

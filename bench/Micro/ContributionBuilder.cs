using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// What MemberGrain.BuildContribution does after each write, step for step. That method is private
/// to the grain; this copy calls the same internal pieces, so it must follow any change there.
/// </summary>
internal static class ContributionBuilder
{
    public static MemberContribution Build(MemberState state, ResolvedSeason season)
    {
        var facts = state.Seasons[season.SeasonId];

        // The grain drops its cached summary on every write, so each contribution pays for the rules afresh.
        var summary = PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);
        var completions = MemberActivities.Completions(facts);
        return new MemberContribution
        {
            Profile = state.Profile!,
            SeasonId = season.SeasonId,
            Version = state.Version,
            Points = summary.Total,
            CheckIns = MemberActivities.CountedCheckIns(facts),
            RequiredLessons = season.RequiredLessons,
            CompletedRequiredLessons = season.CountRequired(MemberActivities.CompletedLessons(facts)),
            CompletedLessonIds = MemberActivities.CompletedLessons(facts),
            LastActivityAt = summary.LastActivityAt,
            Reflections = [.. facts.Reflections.Where(r => !facts.IsVoided(r.EventId)).Select(r => new ReflectionSummary(r.EventId, r.Status, r.SubmittedAt, r.Text))],
            VolunteerHours = facts.Volunteering.Where(v => !facts.IsVoided(v.EventId)).Sum(v => v.Hours),
            QuizAttempts = facts.QuizAttempts.Count(q => !facts.IsVoided(q.EventId)),
            HomeDeliveries = facts.Lessons.Count(l => l.Channel == LessonChannel.HomeDelivery && !facts.IsVoided(l.EventId)),
            CommittedAt = DateTimeOffset.UtcNow,
            Lessons = [.. completions.Select(l => new LessonDone(l.LessonId, l.Channel, l.OccurredAt))],
            CompletedAt = CompletedAt(season, completions),
        };
    }

    private static DateTimeOffset? CompletedAt(ResolvedSeason season, ImmutableArray<LessonCompletionRecord> completions)
    {
        var required = 0;
        foreach (var completion in completions.OrderBy(c => c.OccurredAt))
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

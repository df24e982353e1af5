using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Grains.Catalog;

/// <summary>Checks a season definition before the catalog accepts it.</summary>
internal static class SeasonValidator
{
    public static void Validate(SeasonDefinition season)
    {
        RequireId(season.SeasonId, "season_id");
        if (SeasonCatalog.IsCurrent(season.SeasonId))
        {
            throw ProgressException.Invalid("season_id", "'current' is reserved: it names whichever season is current.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(season.TimeZone, out _))
        {
            throw ProgressException.Invalid("time_zone", $"Time zone '{season.TimeZone}' is unknown; use an IANA name such as Asia/Shanghai.");
        }

        if (season.EndsAt <= season.StartsAt)
        {
            throw ProgressException.Invalid("ends_at", "A season must end after it starts.");
        }

        var topics = Unique(season.Topics.Select(t => t.TopicId), "topic_id");
        Unique(season.Lessons.Select(l => l.LessonId), "lesson_id");
        Unique(season.Sites.Select(s => s.SiteId), "site_id");
        foreach (var lesson in season.Lessons)
        {
            if (!topics.Contains(lesson.TopicId))
            {
                throw ProgressException.Invalid("topic_id", $"Lesson '{lesson.LessonId}' names topic '{lesson.TopicId}', which the season does not have.");
            }

            if (lesson.Points < 0)
            {
                throw ProgressException.Invalid("points", $"Lesson '{lesson.LessonId}' has negative points.");
            }
        }

        Unique(season.Quizzes.Select(q => q.QuizId), "quiz_id");
        foreach (var quiz in season.Quizzes)
        {
            if (!topics.Contains(quiz.TopicId))
            {
                throw ProgressException.Invalid("topic_id", $"Quiz '{quiz.QuizId}' names topic '{quiz.TopicId}', which the season does not have.");
            }

            if (quiz.Points < 0)
            {
                throw ProgressException.Invalid("points", $"Quiz '{quiz.QuizId}' has negative points.");
            }
        }

        var rules = season.Rules;
        if (rules.CheckInPoints < 0 || rules.ReflectionPoints < 0 || rules.FeaturedReflectionBonus < 0 || rules.VolunteerPointsPerHour < 0)
        {
            throw ProgressException.Invalid("rules", "Points in the rules must not be negative.");
        }

        if (!(rules.MaxVolunteerHoursPerEvent > 0))
        {
            throw ProgressException.Invalid("max_volunteer_hours_per_event", "max_volunteer_hours_per_event must be positive.");
        }

        if (rules.ReflectionMinLength < 1 || rules.ReflectionMaxLength < rules.ReflectionMinLength)
        {
            throw ProgressException.Invalid("reflection_max_length", "Reflection lengths must satisfy 1 <= reflection_min_length <= reflection_max_length.");
        }

        if (rules.DailyCaps.Any(c => c.MaxPoints < 0 || c.Activity == ActivityKind.Unspecified) || rules.DailyCaps.GroupBy(c => c.Activity).Any(g => g.Count() > 1))
        {
            throw ProgressException.Invalid("daily_caps", "Each daily cap names one activity kind, once, with a cap of at least 0.");
        }

        if (rules.StreakBonuses.Any(b => b.Days < 2 || b.Points < 0))
        {
            throw ProgressException.Invalid("streak_bonuses", "A streak bonus needs days of at least 2 and points of at least 0.");
        }
    }

    public static bool SameContent(SeasonDefinition a, SeasonDefinition b) =>
        a with { Topics = [], Lessons = [], Sites = [] } == b with { Topics = [], Lessons = [], Sites = [] }
        && a.Topics.SequenceEqual(b.Topics)
        && a.Lessons.SequenceEqual(b.Lessons)
        && a.Sites.SequenceEqual(b.Sites);

    private static HashSet<string> Unique(IEnumerable<string> ids, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            RequireId(id, field);
            if (!seen.Add(id))
            {
                throw ProgressException.Invalid(field, $"'{id}' appears twice; {field} values must be unique within a season.");
            }
        }

        return seen;
    }

    private static void RequireId(string id, string field)
    {
        if (Ids.Problem(id) is { } problem)
        {
            throw ProgressException.Invalid(field, $"{field} '{id}' {problem}.");
        }
    }
}

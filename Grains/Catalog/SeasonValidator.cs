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

        if (season.Rules.CheckInPoints < 0)
        {
            throw ProgressException.Invalid("check_in_points", "Check-in points must not be negative.");
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

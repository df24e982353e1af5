using System.Collections.Frozen;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Grains.Catalog;

/// <summary>A season with the lookups every event needs, built once per silo per catalog read.</summary>
public sealed class ResolvedSeason
{
    public ResolvedSeason(SeasonSnapshot snapshot)
    {
        Definition = snapshot.Season;
        Current = snapshot.Current;
        Lessons = Definition.Lessons.ToFrozenDictionary(l => l.LessonId, StringComparer.Ordinal);
        Sites = Definition.Sites.ToFrozenDictionary(s => s.SiteId, StringComparer.Ordinal);
        Quizzes = Definition.Quizzes.ToFrozenDictionary(q => q.QuizId, StringComparer.Ordinal);
        RequiredLessons = Definition.RequiredLessonCount;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(Definition.TimeZone);
    }

    public SeasonDefinition Definition { get; }

    public string SeasonId => Definition.SeasonId;

    public bool Current { get; }

    public FrozenDictionary<string, LessonDefinition> Lessons { get; }

    public FrozenDictionary<string, SiteDefinition> Sites { get; }

    public FrozenDictionary<string, QuizDefinition> Quizzes { get; }

    public int RequiredLessons { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The calendar day in the season's time zone on which <paramref name="at"/> falls.</summary>
    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    public int CountRequired(IEnumerable<string> completedLessonIds) =>
        completedLessonIds.Count(id => Lessons.TryGetValue(id, out var lesson) && lesson.Required);
}

using Google.Protobuf;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Grains.Catalog;
using Proto = ProgressGrains.Api.V1;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// The demo season (Silo/Demo/season-2023-2024.json: 12 lessons, 4 sites, 3 quizzes, daily caps
/// and streak bonuses), so the benchmarks run the rules a real season sets rather than a toy one.
/// </summary>
internal static class DemoSeason
{
    private const string SeasonFile = "Silo/Demo/season-2023-2024.json";

    public static ResolvedSeason Resolved { get; } = new(new SeasonSnapshot(Load(), Current: true));

    private static SeasonDefinition Load()
    {
        // The mapping from the API's Season lives in the Gateway, which this project does not
        // reference; the file is small enough to map here. Proto and domain enums share numbers.
        var season = JsonParser.Default.Parse<Proto.Season>(File.ReadAllText(Find()));
        var rules = season.Rules;
        return new SeasonDefinition
        {
            SeasonId = season.SeasonId,
            Name = season.Name,
            TimeZone = season.TimeZone,
            StartsAt = season.StartsAt.ToDateTimeOffset(),
            EndsAt = season.EndsAt.ToDateTimeOffset(),
            Topics = [.. season.Topics.Select(t => new TopicDefinition(t.TopicId, t.Title))],
            Lessons = [.. season.Lessons.Select(l => new LessonDefinition(l.LessonId, l.TopicId, l.Title, (LessonKind)(int)l.Kind, l.Required, l.Points))],
            Sites = [.. season.Sites.Select(s => new SiteDefinition(s.SiteId, s.Name, (SiteKind)(int)s.Kind, s.CommunityId is "" ? null : s.CommunityId))],
            Quizzes = [.. season.Quizzes.Select(q => new QuizDefinition(q.QuizId, q.TopicId, q.Title, q.Points))],
            Rules = new PointsRules
            {
                CheckInPoints = rules.CheckInPoints,
                ReflectionPoints = rules.ReflectionPoints,
                FeaturedReflectionBonus = rules.FeaturedReflectionBonus,
                VolunteerPointsPerHour = rules.VolunteerPointsPerHour,
                MaxVolunteerHoursPerEvent = rules.MaxVolunteerHoursPerEvent,
                QuizAttempts = (QuizAttemptRule)(int)rules.QuizAttempts,
                DailyCaps = [.. rules.DailyCaps.Select(c => new DailyCap((ActivityKind)(int)c.Activity, c.MaxPoints))],
                StreakBonuses = [.. rules.StreakBonuses.Select(b => new StreakBonus(b.Days, b.Points))],
                ReflectionMinLength = rules.ReflectionMinLength,
                ReflectionMaxLength = rules.ReflectionMaxLength,
            },
        };
    }

    /// <summary>The season file, found from wherever the program was built (bench/bin/...) upwards.</summary>
    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, SeasonFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{SeasonFile} was not found above {AppContext.BaseDirectory}; run from the repository.");
    }
}

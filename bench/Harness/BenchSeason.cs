using Google.Protobuf.WellKnownTypes;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// A season open today, generated rather than copied from the demo file (whose 2023-2024 window is
/// over): it started <see cref="DaysBefore"/> days ago, so every check-in can be at a different
/// site or day, and has enough lessons and quizzes that a member's every event is a new one. No
/// daily caps and no streak bonuses, so each event earns exactly one ledger entry of its own.
/// </summary>
public sealed class BenchSeason
{
    public const string SeasonId = "bench-season";
    public const string TimeZone = "Asia/Shanghai";
    public const int DaysBefore = 90;
    public const int LessonCount = 200;
    public const int QuizCount = 200;
    public const int SiteCount = 20;

    /// <summary>Points per kind; the baseline's fixed points per kind are the same.</summary>
    public const int LessonPoints = 5;
    public const int CheckInPoints = 2;
    public const int QuizPoints = 10;

    private BenchSeason(DateTimeOffset startsAt, DateOnly firstDay, DateOnly today)
    {
        StartsAt = startsAt;
        FirstDay = firstDay;
        Today = today;
    }

    public DateTimeOffset StartsAt { get; }

    /// <summary>The first day check-ins are placed on (the season's first day, unless it has not started).</summary>
    public DateOnly FirstDay { get; }

    /// <summary>Today in the season's time zone; check-ins go on earlier days only (never in the future).</summary>
    public DateOnly Today { get; }

    public int PastDays => Today.DayNumber - FirstDay.DayNumber;

    public static readonly TimeSpan ZoneOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// A season under way: members who have not done their required lessons are behind its pace, so
    /// the engine keeps outreach cases for them, as in a real season. With <paramref name="notStarted"/>
    /// the season starts tomorrow instead (events are still accepted): nobody is at risk, which
    /// isolates what the outreach bookkeeping costs the engine's ingest.
    /// </summary>
    public static BenchSeason Starting(DateTimeOffset now, bool notStarted = false)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(ZoneOffset).DateTime);
        var first = today.AddDays(-DaysBefore);
        var start = notStarted ? today.AddDays(1) : first;
        return new BenchSeason(new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), ZoneOffset), first, today);
    }

    public static string LessonId(int index) => $"lesson-{index + 1:D3}";

    public static string QuizId(int index) => $"quiz-{index + 1:D3}";

    public static string SiteId(int index) => $"site-{index + 1:D2}";

    /// <summary>Noon of <paramref name="day"/> in the season's time zone.</summary>
    public static DateTimeOffset NoonOf(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), ZoneOffset);

    public Season ToProto()
    {
        var season = new Season
        {
            SeasonId = SeasonId,
            Name = "Benchmark season",
            TimeZone = TimeZone,
            StartsAt = Timestamp.FromDateTimeOffset(StartsAt),
            EndsAt = Timestamp.FromDateTimeOffset(StartsAt.AddDays(DaysBefore + 120)),
            Topics = { new Topic { TopicId = "bench", Title = "Benchmark topic" } },
            Rules = new PointsRules
            {
                CheckInPoints = CheckInPoints,
                ReflectionPoints = 5,
                FeaturedReflectionBonus = 5,
                VolunteerPointsPerHour = 2,
                MaxVolunteerHoursPerEvent = 8,
                QuizAttempts = QuizAttemptRule.Best,
                ReflectionMinLength = 5,
                ReflectionMaxLength = 500,
            },
        };
        for (var i = 0; i < LessonCount; i++)
        {
            season.Lessons.Add(new Lesson
            {
                LessonId = LessonId(i),
                TopicId = "bench",
                Title = $"Lesson {i + 1}",
                Kind = LessonKind.MicroLesson,
                Required = i < 10,
                Points = LessonPoints,
            });
        }

        for (var i = 0; i < QuizCount; i++)
        {
            season.Quizzes.Add(new Quiz { QuizId = QuizId(i), TopicId = "bench", Title = $"Quiz {i + 1}", Points = QuizPoints });
        }

        for (var i = 0; i < SiteCount; i++)
        {
            season.Sites.Add(new StudySite { SiteId = SiteId(i), Name = $"Site {i + 1}", Kind = SiteKind.PracticeStation });
        }

        return season;
    }
}

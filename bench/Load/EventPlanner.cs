using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// Plans each member's next event so that none repeats an earlier one: the member's next lesson,
/// next quiz, or a check-in at the next (site, day) pair. A repeat would be "unchanged" in the
/// engine (nothing stored) and would make the comparison about no-ops. One planner per system run.
/// </summary>
public sealed class EventPlanner(BenchRoster roster, BenchSeason season, EventMix mix)
{
    private readonly int[] _lessons = new int[roster.Members.Count];
    private readonly int[] _checkIns = new int[roster.Members.Count];
    private readonly int[] _quizzes = new int[roster.Members.Count];

    public PlannedEvent Next(Random random)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var member = roster.Members[random.Next(roster.Members.Count)];
            var first = mix.Pick(random);
            for (var k = 0; k < 3; k++)
            {
                // A kind this member has used up falls to the next one.
                if (TryPlan(member, (EventKind)(((int)first + k) % 3)) is { } planned)
                {
                    return planned;
                }
            }
        }

        throw new InvalidOperationException("Every member has used up the season's lessons, quizzes and check-in days; use more members or a shorter run.");
    }

    private PlannedEvent? TryPlan(BenchMember member, EventKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case EventKind.Lesson:
                var lesson = Interlocked.Increment(ref _lessons[member.Index]) - 1;
                return lesson < BenchSeason.LessonCount ? new(member, Guid.NewGuid(), kind, BenchSeason.LessonId(lesson), now) : null;
            case EventKind.Quiz:
                var quiz = Interlocked.Increment(ref _quizzes[member.Index]) - 1;
                return quiz < BenchSeason.QuizCount ? new(member, Guid.NewGuid(), kind, BenchSeason.QuizId(quiz), now) : null;
            default:
                var checkIn = Interlocked.Increment(ref _checkIns[member.Index]) - 1;
                var day = checkIn / BenchSeason.SiteCount;
                return day < season.PastDays
                    ? new(member, Guid.NewGuid(), kind, BenchSeason.SiteId(checkIn % BenchSeason.SiteCount), BenchSeason.NoonOf(season.FirstDay.AddDays(day)))
                    : null;
        }
    }
}

using BenchmarkDotNet.Attributes;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// One event applied the way MemberGrain.HandleCore does it: copy the season's facts, then run the
/// rule on the copy (the stored facts stay untouched until the write succeeds). The base facts
/// never change, so each invocation starts from the same member without an [IterationSetup]
/// (which would force one invocation per iteration and drown microseconds in timer noise).
/// </summary>
public class MemberEventBenchmarks
{
    private ResolvedSeason _season = null!;
    private MemberSeasonState _facts = null!;
    private DateTimeOffset _now;
    private CompleteLessonCommand _lesson = null!;
    private CheckInCommand _checkIn = null!;
    private QuizAttemptCommand _quiz = null!;

    /// <summary>Facts the member already holds in the season.</summary>
    [Params(10, 50, 200)]
    public int Facts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _season = DemoSeason.Resolved;
        _facts = MemberScenario.Facts(_season, Facts);
        var at = MemberScenario.Latest(_facts) + TimeSpan.FromHours(1);
        _now = at + TimeSpan.FromSeconds(5);
        var random = new Random(Facts);
        _lesson = new CompleteLessonCommand(MemberScenario.NewId(random), "pingtan", LessonChannel.InPerson, "volunteer-7", at, null);
        _checkIn = new CheckInCommand(MemberScenario.NewId(random), "haitang-yijiao", at, null);
        _quiz = new QuizAttemptCommand(MemberScenario.NewId(random), "winter-quiz", 8, 10, at, null);
    }

    [Benchmark]
    public object CompleteLesson()
    {
        var working = _facts.Copy();
        MemberActivities.CompleteLesson(working, _season, _lesson, _now);
        return working;
    }

    [Benchmark]
    public object CheckIn()
    {
        var working = _facts.Copy();
        MemberActivities.CheckIn(working, _season, _checkIn, _now);
        return working;
    }

    [Benchmark]
    public object AttemptQuiz()
    {
        var working = _facts.Copy();
        MemberActivities.AttemptQuiz(working, _season, _quiz, _now);
        return working;
    }
}

using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// Members with a given number of facts in the demo season, recorded through the real rules
/// (<see cref="MemberActivities"/>) so the facts are ones the grain could have stored. Seeded, so
/// every run (and the size column) sees the same members.
/// </summary>
internal static class MemberScenario
{
    public const string CommunityId = "dunhuang";
    public const int Grids = 8;

    private static readonly string[] Texts =
    [
        "学习冬训第一课，深刻感悟思想伟力，要把学习成果转化为为群众办实事的具体行动。",
        "听了社区公益律师讲法，对民法典中邻里关系的规定有了新的认识，回去讲给老伙伴们听。",
        "评弹党课形式新颖，老党员们听得津津有味，冬训元素融入评弹，让理论更接地气。",
    ];

    public static MemberProfile Profile(int member) =>
        new($"{CommunityId}-m{member:D5}", $"成员{member}", CommunityId, Grid(member), 1940 + member % 60, MemberFlags.None);

    public static string Grid(int member) => $"{CommunityId}-g{member % Grids + 1}";

    /// <summary>A member's stored state: the profile and <paramref name="facts"/> facts in the season.</summary>
    public static MemberState State(ResolvedSeason season, int facts, int member = 1) => new()
    {
        Profile = Profile(member),
        Version = facts + 1,
        Seasons = new(StringComparer.Ordinal) { [season.SeasonId] = Facts(season, facts, seed: member) },
    };

    /// <summary>
    /// Exactly <paramref name="count"/> facts spread over the season in time order: mostly
    /// check-ins, then lessons (the 12 in order, then repeats), quiz attempts, reflections and
    /// their moderation, volunteering, and the odd void by an admin.
    /// </summary>
    public static MemberSeasonState Facts(ResolvedSeason season, int count, int seed = 1)
    {
        var random = new Random(seed);
        var facts = new MemberSeasonState();
        var definition = season.Definition;
        var span = definition.EndsAt - definition.StartsAt;
        var lessons = definition.Lessons;
        var sites = definition.Sites;
        var quizzes = definition.Quizzes;
        var pending = new List<Guid>();
        var voidable = new List<Guid>();
        var lessonsDone = 0;
        for (var i = 0; Total(facts) < count; i++)
        {
            // Evenly spread with a few hours' jitter, so days, streaks and caps all come up.
            var at = definition.StartsAt + span * ((Math.Min(i, count - 1) + 0.5) / count) + TimeSpan.FromMinutes(random.Next(-180, 180));
            var now = at + TimeSpan.FromMinutes(2);
            var id = NewId(random);
            var roll = random.Next(100);
            switch (roll)
            {
                case < 50:
                    MemberActivities.CheckIn(facts, season, new CheckInCommand(id, sites[random.Next(sites.Length)].SiteId, at, null), now);
                    voidable.Add(id);
                    break;
                case < 65:
                    MemberActivities.CompleteLesson(facts, season,
                        new CompleteLessonCommand(id, lessons[lessonsDone++ % lessons.Length].LessonId, LessonChannel.Online, null, at, null), now);
                    voidable.Add(id);
                    break;
                case < 77:
                    MemberActivities.AttemptQuiz(facts, season, new QuizAttemptCommand(id, quizzes[random.Next(quizzes.Length)].QuizId, random.Next(11), 10, at, null), now);
                    break;
                case < 85:
                    MemberActivities.Volunteer(facts, season, new VolunteerCommand(id, "平安巡逻", 1 + random.Next(4), at, null), now);
                    break;
                case < 97 when pending.Count > 0 && random.Next(2) == 0:
                    var reflection = pending[0];
                    pending.RemoveAt(0);
                    var decision = random.Next(5) == 0 ? ModerationDecision.Feature : ModerationDecision.Approve;
                    MemberActivities.Moderate(facts, season, new ModerateReflectionCommand(id, reflection, decision, "admin-1"), now);
                    break;
                case < 97:
                    MemberActivities.SubmitReflection(facts, season, new ReflectionCommand(id, Texts[random.Next(Texts.Length)], at, null), now);
                    pending.Add(id);
                    break;
                default:
                    if (voidable.Count > 0)
                    {
                        MemberActivities.Void(facts, new VoidEventCommand(voidable[random.Next(voidable.Count)], "重复打卡", "admin-1"), now);
                    }

                    break;
            }
        }

        return facts;
    }

    /// <summary>Every fact held, moderation decisions included.</summary>
    public static int Total(MemberSeasonState facts) =>
        facts.Lessons.Count + facts.CheckIns.Count + facts.QuizAttempts.Count + facts.Volunteering.Count + facts.Voids.Count
        + facts.Reflections.Sum(r => 1 + r.History.Length);

    /// <summary>When the member last acted: the next event comes after it.</summary>
    public static DateTimeOffset Latest(MemberSeasonState facts) =>
        facts.Lessons.Select(l => l.OccurredAt)
            .Concat(facts.CheckIns.Select(c => c.OccurredAt))
            .Concat(facts.QuizAttempts.Select(q => q.OccurredAt))
            .Concat(facts.Volunteering.Select(v => v.OccurredAt))
            .Concat(facts.Reflections.Select(r => r.SubmittedAt))
            .DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();

    public static Guid NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}

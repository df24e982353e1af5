using System.Security.Cryptography;
using System.Text;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Silo.Demo;

/// <summary>
/// Generated members and their activity. Everything derives from a fixed seed and every event id
/// from its content, so loading the demo twice yields the same data and counts nothing twice.
/// </summary>
internal static class DemoRoster
{
    public const int MembersPerCommunity = 60;

    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘";
    private const string GivenChars = "建国华明丽红军英芳伟秀兰志强敏静玉梅海燕平春霞新民德福永婷雪琴晓东";

    public static IEnumerable<MemberProfile> Members(CommunityDefinition community)
    {
        var random = new Random(Seed(community.CommunityId));
        for (var i = 1; i <= MembersPerCommunity; i++)
        {
            var birthYear = random.Next(1938, 2001);
            var age = 2024 - birthYear;
            var flags = MemberFlags.None;
            if (age >= 75)
            {
                flags |= MemberFlags.Elderly;
                if (random.NextDouble() < 0.4)
                {
                    flags |= MemberFlags.Housebound;
                }
            }

            if (random.NextDouble() < 0.06)
            {
                flags |= MemberFlags.Mobile;
            }

            var name = $"{Surnames[random.Next(Surnames.Length)]}{GivenChars[random.Next(GivenChars.Length)]}"
                + (random.NextDouble() < 0.6 ? GivenChars[random.Next(GivenChars.Length)].ToString() : "");
            var memberId = $"{community.CommunityId}-{i:D4}";
            yield return new MemberProfile(memberId, name, community.CommunityId,
                community.Grids[(i - 1) % community.Grids.Length], birthYear, flags, OpenId(memberId));
        }
    }

    /// <summary>
    /// The demo member's WeChat openid. With the development WeChat login the code is the openid, so
    /// signing in with code <c>demo-wenhua-0001</c> signs in as member <c>wenhua-0001</c>.
    /// </summary>
    public static string OpenId(string memberId) => $"demo-{memberId}";

    /// <summary>Two study-assistance squad volunteers (助学小分队) per community.</summary>
    public static IEnumerable<SquadVolunteer> Volunteers(CommunityDefinition community) =>
    [
        new($"{community.CommunityId}-v01", $"{community.Name}助学小分队 队员一", community.Grids[0]),
        new($"{community.CommunityId}-v02", $"{community.Name}助学小分队 队员二", null),
    ];

    public static IEnumerable<CompleteLessonCommand> Lessons(MemberProfile member)
    {
        var random = new Random(Seed(member.MemberId));
        var season = DemoSeason.Season;
        var engagement = random.NextDouble();
        var volunteer = $"{member.CommunityId}-v01";
        foreach (var lesson in season.Lessons)
        {
            var chance = lesson.Required ? engagement * 1.3 : engagement * 0.6;
            if (random.NextDouble() >= chance)
            {
                continue;
            }

            var channel = member.Flags.HasFlag(MemberFlags.Housebound) ? LessonChannel.HomeDelivery
                : lesson.Kind is LessonKind.Lecture or LessonKind.Storytelling && random.NextDouble() < 0.7 ? LessonChannel.InPerson
                : LessonChannel.Online;
            var deliveredBy = channel switch
            {
                LessonChannel.HomeDelivery => volunteer,
                LessonChannel.InPerson => $"{member.CommunityId}-admin",
                _ => null,
            };
            yield return new CompleteLessonCommand(EventId($"lesson:{member.MemberId}:{lesson.LessonId}"), lesson.LessonId,
                channel, deliveredBy, SomeDay(random), DemoSeason.SeasonId);
        }
    }

    public static IEnumerable<CheckInCommand> CheckIns(MemberProfile member)
    {
        var random = new Random(Seed("checkins:" + member.MemberId));
        if (member.Flags.HasFlag(MemberFlags.Housebound))
        {
            yield break;
        }

        var sites = DemoSeason.Season.Sites.Where(s => s.CommunityId is null || s.CommunityId == member.CommunityId).ToArray();
        var count = random.Next(0, 7);
        for (var i = 0; i < count; i++)
        {
            var site = sites[random.Next(sites.Length)];
            yield return new CheckInCommand(EventId($"checkin:{member.MemberId}:{i}"), site.SiteId, SomeDay(random), DemoSeason.SeasonId);
        }
    }

    public static IEnumerable<QuizAttemptCommand> QuizAttempts(MemberProfile member)
    {
        var random = new Random(Seed("quiz:" + member.MemberId));
        foreach (var quiz in DemoSeason.Season.Quizzes.Where(_ => random.NextDouble() < 0.5))
        {
            for (var attempt = random.Next(1, 3); attempt > 0; attempt--)
            {
                yield return new QuizAttemptCommand(EventId($"quiz:{member.MemberId}:{quiz.QuizId}:{attempt}"), quiz.QuizId,
                    random.Next(4, 11), 10, SomeDay(random), DemoSeason.SeasonId);
            }
        }
    }

    public static IEnumerable<VolunteerCommand> Volunteering(MemberProfile member)
    {
        var random = new Random(Seed("volunteer:" + member.MemberId));
        if (member.Flags.HasFlag(MemberFlags.Housebound) || random.NextDouble() < 0.6)
        {
            yield break;
        }

        string[] activities = ["垃圾分类宣传", "安全巡查", "电瓶车停放引导", "为居民代办事项", "楼道微改造"];
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            yield return new VolunteerCommand(EventId($"volunteer:{member.MemberId}:{i}"), activities[random.Next(activities.Length)],
                random.Next(1, 5), SomeDay(random), DemoSeason.SeasonId);
        }
    }

    /// <summary>Some members write a reflection; an admin approves or features some of them, leaving others pending.</summary>
    public static (ReflectionCommand Reflection, ModerateReflectionCommand? Decision)? Reflection(MemberProfile member)
    {
        var random = new Random(Seed("reflection:" + member.MemberId));
        if (random.NextDouble() < 0.7)
        {
            return null;
        }

        string[] texts =
        [
            "听了冬训第一课，更加感悟到思想伟力，要把学习成果转化为为群众办实事的动力。",
            "评弹党课生动有趣，把党的创新理论讲进了心里。",
            "读原著、学原文、悟原理，越学越有收获，越学越有信心。",
            "作为老党员，送学上门让我没有掉队，感谢助学小分队。",
            "参加网格志愿服务，做好垃圾分类宣传，学用相融。",
        ];
        var reflection = new ReflectionCommand(EventId($"reflection:{member.MemberId}"), texts[random.Next(texts.Length)], SomeDay(random), DemoSeason.SeasonId);
        var roll = random.NextDouble();
        ModerateReflectionCommand? decision = roll switch
        {
            < 0.4 => null,
            < 0.85 => new(EventId($"approve:{member.MemberId}"), reflection.EventId, ModerationDecision.Approve, $"{member.CommunityId}-admin"),
            _ => new(EventId($"feature:{member.MemberId}"), reflection.EventId, ModerationDecision.Feature, $"{member.CommunityId}-admin"),
        };
        return (reflection, decision);
    }

    private static DateTimeOffset SomeDay(Random random)
    {
        var season = DemoSeason.Season;
        var span = season.EndsAt - season.StartsAt;
        return season.StartsAt + TimeSpan.FromMinutes(random.Next((int)span.TotalMinutes));
    }

    /// <summary>A UUID derived from content, so the same demo event always has the same id.</summary>
    private static Guid EventId(string content)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("progressgrains-demo:" + content));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static int Seed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}

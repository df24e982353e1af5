using System.Security.Cryptography;
using System.Text;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

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
            yield return new MemberProfile($"{community.CommunityId}-{i:D4}", name, community.CommunityId,
                community.Grids[(i - 1) % community.Grids.Length], birthYear, flags);
        }
    }

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

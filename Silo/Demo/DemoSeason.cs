using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;

namespace ProgressGrains.Silo.Demo;

/// <summary>The demo's programme: Xietang subdistrict's 2023–2024 winter training, after the source report.</summary>
internal static class DemoSeason
{
    public const string SeasonId = "2023-2024";
    public const string SubdistrictId = "xietang";

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static SeasonDefinition Season { get; } = new()
    {
        SeasonId = SeasonId,
        Name = "2023—2024年度基层党员冬训",
        TimeZone = "Asia/Shanghai",
        StartsAt = new DateTimeOffset(2023, 11, 15, 0, 0, 0, Shanghai),
        EndsAt = new DateTimeOffset(2024, 4, 1, 0, 0, 0, Shanghai),
        Topics =
        [
            new("thought", "感悟思想伟力：学习习近平新时代中国特色社会主义思想"),
            new("congress", "学习贯彻党的二十大精神"),
            new("rule-of-law", "法治教育与基层治理"),
            new("park-30", "园区开发建设30周年：科技与人文"),
            new("culture", "文化传承：评弹与斜塘老街"),
        ],
        Lessons =
        [
            new("first-lesson", "thought", "冬训第一课：感悟思想伟力、凝聚奋进力量", LessonKind.Lecture, Required: true, Points: 10),
            new("original-texts-1", "thought", "读原著、学原文、悟原理（一）", LessonKind.Reading, Required: true, Points: 5),
            new("original-texts-2", "thought", "读原著、学原文、悟原理（二）", LessonKind.Reading, Required: false, Points: 5),
            new("congress-keywords", "congress", "冬训微课：二十大报告关键词", LessonKind.MicroLesson, Required: true, Points: 5),
            new("life-science", "park-30", "冬训微课：探索生命科学，追梦科技未来", LessonKind.MicroLesson, Required: false, Points: 5),
            new("law-class", "rule-of-law", "法治教育课堂：社区公益律师讲法", LessonKind.LegalClass, Required: true, Points: 8),
            new("civil-code", "rule-of-law", "民法典与居民生活", LessonKind.LegalClass, Required: false, Points: 5),
            new("park-anniversary", "park-30", "园区开发建设30周年", LessonKind.Lecture, Required: true, Points: 8),
            new("old-street", "culture", "冬训微课：斜塘老街", LessonKind.MicroLesson, Required: false, Points: 5),
            new("pingtan", "culture", "评弹党课：把冬训元素融入评弹", LessonKind.Storytelling, Required: true, Points: 8),
            new("veteran-lesson", "congress", "流动老党员讲党课：三十年党龄的初心", LessonKind.Lecture, Required: false, Points: 5),
            new("serve-the-people", "congress", "我为群众办实事：实践分享", LessonKind.Lecture, Required: true, Points: 5),
        ],
        Sites =
        [
            new("haitang-yijiao", "红色书屋“海棠驿角”", SiteKind.RedBookhouse, null),
            new("xietang-practice-centre", "斜塘街道新时代文明实践所", SiteKind.PracticeStation, null),
            new("dunhuang-practice-station", "敦煌社区新时代文明实践站", SiteKind.PracticeStation, "dunhuang"),
            new("xietang-service-centre", "斜塘街道党群服务中心", SiteKind.ServiceCenter, null),
        ],
        Rules = new PointsRules { CheckInPoints = 1 },
    };

    public static IReadOnlyList<CommunityDefinition> Communities { get; } =
    [
        new("wenhua", "文华社区", SubdistrictId, ["wenhua-g1", "wenhua-g2", "wenhua-g3"]),
        new("jinyan", "金堰社区", SubdistrictId, ["jinyan-g1", "jinyan-g2", "jinyan-g3"]),
        new("heyun", "荷韵社区", SubdistrictId, ["heyun-g1", "heyun-g2", "heyun-g3"]),
        new("dunhuang", "敦煌社区", SubdistrictId, ["dunhuang-g1", "dunhuang-g2", "dunhuang-g3", "dunhuang-g4"]),
        new("lianfeng", "联丰社区", SubdistrictId, ["lianfeng-g1", "lianfeng-g2", "lianfeng-g3"]),
    ];
}

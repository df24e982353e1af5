using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Gateway;

namespace ProgressGrains.Silo.Demo;

/// <summary>The demo's programme: Xietang subdistrict's 2023–2024 winter training, after the source report.</summary>
internal static class DemoSeason
{
    public const string SeasonId = "2023-2024";
    public const string SubdistrictId = "xietang";

    /// <summary>The demo season, read from the season file shipped beside the program (season-2023-2024.json).</summary>
    public static SeasonDefinition Season { get; } = SeasonFile.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Demo", "season-2023-2024.json")));

    public static IReadOnlyList<CommunityDefinition> Communities { get; } =
    [
        new("wenhua", "文华社区", SubdistrictId, ["wenhua-g1", "wenhua-g2", "wenhua-g3"]),
        new("jinyan", "金堰社区", SubdistrictId, ["jinyan-g1", "jinyan-g2", "jinyan-g3"]),
        new("heyun", "荷韵社区", SubdistrictId, ["heyun-g1", "heyun-g2", "heyun-g3"]),
        new("dunhuang", "敦煌社区", SubdistrictId, ["dunhuang-g1", "dunhuang-g2", "dunhuang-g3", "dunhuang-g4"]),
        new("lianfeng", "联丰社区", SubdistrictId, ["lianfeng-g1", "lianfeng-g2", "lianfeng-g3"]),
    ];
}

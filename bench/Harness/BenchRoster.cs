using System.Globalization;
using System.Text;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// The benchmark's members, spread evenly over the communities and their grids. The engine defines
/// communities only through its demo (<c>--demo</c>: five communities of subdistrict xietang, each
/// with at least grids g1..g3); there is no public call to define one. So the benchmark enrolls its
/// own members into those communities, and the baseline gets the same ones.
/// </summary>
public sealed class BenchRoster
{
    public const string SubdistrictId = "xietang";

    /// <summary>The demo's communities, as Silo/Demo/DemoSeason.cs defines them.</summary>
    public static readonly IReadOnlyList<string> DemoCommunities = ["wenhua", "jinyan", "heyun", "dunhuang", "lianfeng"];

    private const int GridsUsed = 3;

    private BenchRoster(IReadOnlyList<BenchMember> members, IReadOnlyList<string> communities)
    {
        Members = members;
        Communities = communities;
    }

    public IReadOnlyList<BenchMember> Members { get; }

    public IReadOnlyList<string> Communities { get; }

    public static BenchRoster Create(int members, int communities)
    {
        if (communities < 1 || communities > DemoCommunities.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(communities), communities,
                $"between 1 and {DemoCommunities.Count}: the engine's only communities are the demo's (no public call defines one)");
        }

        var used = DemoCommunities.Take(communities).ToArray();
        return new BenchRoster(
            [.. Enumerable.Range(0, members).Select(i =>
            {
                var community = used[i % used.Length];
                return new BenchMember(i, $"bench-{i:D6}", community, $"{community}-g{(i / used.Length % GridsUsed) + 1}");
            })],
            used);
    }

    /// <summary>
    /// Members <paramref name="skip"/> .. <paramref name="skip"/>+<paramref name="take"/>-1, with their
    /// indexes and communities unchanged: a roster imported in parts (the import adds to a community).
    /// </summary>
    public BenchRoster Slice(int skip, int take) => new([.. Members.Skip(skip).Take(take)], Communities);

    /// <summary>The roster as the CSV a community secretary would upload.</summary>
    public byte[] ToCsv()
    {
        var csv = new StringBuilder("member_id,name,community_id,grid,birth_year\n");
        foreach (var member in Members)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{member.MemberId},Bench Member {member.Index},{member.CommunityId},{member.GridId},{1950 + (member.Index % 50)}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

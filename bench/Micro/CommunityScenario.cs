using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Communities;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// A community of N members in eight grids, each holding a contribution. Contributions are cut
/// from a few dozen real ones (members with 0 to 200 facts) with each member's own profile, so
/// setting up 10,000 members does not run the rules 10,000 times.
/// </summary>
internal static class CommunityScenario
{
    private const int Templates = 32;

    private static readonly Lazy<MemberContribution[]> Cuts = new(() =>
        [.. Enumerable.Range(0, Templates).Select(t => ContributionBuilder.Build(MemberScenario.State(DemoSeason.Resolved, t * 200 / (Templates - 1), member: t + 1), DemoSeason.Resolved))]);

    public static MemberContribution Contribution(int member, long version) =>
        Cuts.Value[member % Templates] with { Profile = MemberScenario.Profile(member), Version = version };

    public static Dictionary<string, MemberContribution> Contributions(int members) =>
        Enumerable.Range(0, members).Select(m => Contribution(m, version: 1)).ToDictionary(c => c.MemberId, StringComparer.Ordinal);

    public static Dictionary<string, RosterEntry> Roster(int members) =>
        Enumerable.Range(0, members).Select(MemberScenario.Profile)
            .ToDictionary(p => p.MemberId, p => new RosterEntry(p.MemberId, p.Name, p.GridId, p.Flags, p.BirthYear), StringComparer.Ordinal);

    /// <summary>The community's stored state as the flush timer writes it (no outreach cases).</summary>
    public static CommunityState State(ResolvedSeason season, int members) => new()
    {
        Definition = new CommunityDefinition(MemberScenario.CommunityId, "敦煌社区", "xietang",
            [.. Enumerable.Range(0, MemberScenario.Grids).Select(MemberScenario.Grid)]),
        Roster = Roster(members),
        Contributions = new(StringComparer.Ordinal) { [season.SeasonId] = Contributions(members) },
        UpdatedAt = new(StringComparer.Ordinal) { [season.SeasonId] = season.Definition.EndsAt },
    };
}

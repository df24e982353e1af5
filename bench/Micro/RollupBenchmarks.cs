using BenchmarkDotNet.Attributes;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Communities;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// The community side of an event: SeasonRollup taking one member's newer contribution (out with
/// the old sums, in with the new), and, for scale, rebuilding the rollup from every member as an
/// activation does.
/// </summary>
public class RollupBenchmarks
{
    private Dictionary<string, RosterEntry> _roster = null!;
    private Dictionary<string, MemberContribution> _contributions = null!;
    private SeasonRollup _rollup = null!;
    private MemberContribution[] _changes = null!;
    private long _version;

    [Params(1_000, 10_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _roster = CommunityScenario.Roster(Members);
        _contributions = CommunityScenario.Contributions(Members);
        _rollup = new SeasonRollup(_contributions, GridOf);

        // Two different contributions for one member in the middle, alternated so every apply
        // moves real sums (lessons, points, check-ins) out and back in.
        var member = Members / 2;
        _changes = [CommunityScenario.Contribution(member, 1), CommunityScenario.Contribution(member + 7, 1) with { Profile = MemberScenario.Profile(member) }];
        _version = 1;
    }

    [Benchmark]
    public bool ApplyContribution()
    {
        // A fresh record per call, as a contribution arriving from a member is; the version must
        // rise or the rollup (rightly) ignores it.
        _version++;
        var contribution = _changes[_version & 1] with { Version = _version };
        return _rollup.Apply(contribution, GridOf(contribution.MemberId));
    }

    [Benchmark]
    public object RebuildRollup() => new SeasonRollup(_contributions, GridOf);

    private string GridOf(string memberId) => _roster.TryGetValue(memberId, out var entry) ? entry.GridId : "";
}

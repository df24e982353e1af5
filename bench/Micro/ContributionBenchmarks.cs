using BenchmarkDotNet.Attributes;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>The contribution a member sends its community after each write, rules included.</summary>
public class ContributionBenchmarks
{
    private ResolvedSeason _season = null!;
    private MemberState _state = null!;

    [Params(10, 50, 200)]
    public int Facts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _season = DemoSeason.Resolved;
        _state = MemberScenario.State(_season, Facts);
    }

    [Benchmark]
    public MemberContribution BuildContribution() => ContributionBuilder.Build(_state, _season);
}

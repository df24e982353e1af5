using BenchmarkDotNet.Attributes;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// The rules: points, daily caps, streaks and the ledger derived from all of a season's facts.
/// The grain runs this once per applied event (its cached summary is dropped on each write).
/// </summary>
public class PointsBenchmarks
{
    private ResolvedSeason _season = null!;
    private MemberSeasonState _facts = null!;

    [Params(10, 50, 200)]
    public int Facts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _season = DemoSeason.Resolved;
        _facts = MemberScenario.Facts(_season, Facts);
    }

    [Benchmark]
    public object Compute() => PointsCalculator.Compute(_facts, _season.Definition.Rules, _season.Zone);
}

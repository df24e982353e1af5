using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// <c>micro [--quick] [BenchmarkDotNet arguments]</c>: BenchmarkSwitcher over the benchmarks in
/// this folder, allocations reported. Results: docs/benchmarks-micro.md.
/// </summary>
public static class MicroBenchmarks
{
    /// <summary>Maps to BenchmarkDotNet's ShortRun (1 launch, 3 warm-ups, 3 iterations): the whole suite in a few minutes.</summary>
    public const string QuickFlag = "--quick";

    private static readonly Type[] Benchmarks =
    [
        typeof(MemberEventBenchmarks),
        typeof(PointsBenchmarks),
        typeof(ContributionBenchmarks),
        typeof(RollupBenchmarks),
        typeof(MemberStorageBenchmarks),
        typeof(CommunityStorageBenchmarks),
    ];

    private static readonly string[] SelectionFlags = ["--filter", "-f", "--list", "--info", "--help", "-h", "--version", "-?"];

    public static int Run(string[] args)
    {
        var arguments = args.Where(a => a != QuickFlag).ToList();
        if (args.Contains(QuickFlag))
        {
            arguments.AddRange(["--job", "short"]);
        }

        // In-process (BenchmarkDotNet's own --inProcess): otherwise it generates, restores and
        // builds a project per run, which needs the network (this machine has none) and trips
        // -warnaserror. Given as an argument rather than a default job in the config, because a
        // config's default job would replace whatever --job the command line asks for.
        if (!arguments.Any(a => a is "--inProcess" or "-i"))
        {
            arguments.Add("--inProcess");
        }

        // Without a filter BenchmarkSwitcher asks on the console which to run; a script has no one to answer.
        if (!arguments.Any(a => SelectionFlags.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            arguments.AddRange(["--filter", "*"]);
        }

        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new StoredBytesColumn())
            // Beside the build output (ignored by git), not in whatever directory the command ran from.
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run([.. arguments], config).ToList();
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

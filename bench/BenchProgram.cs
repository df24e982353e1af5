using ProgressGrains.Bench.Baseline;
using ProgressGrains.Bench.Compare;

namespace ProgressGrains.Bench;

/// <summary>
/// <c>compare [--seconds N]</c>: the engine against the baseline, side by side in one run.
/// <c>micro [BenchmarkDotNet arguments]</c>: micro-benchmarks of the hot domain code.
/// <c>baseline-server ...</c>: the baseline as its own process (started by <c>compare</c>).
/// <c>startup</c>, <c>memory</c>, <c>rollup</c>: the extra measurements (docs/benchmarks-extras.md).
/// </summary>
public static class BenchProgram
{
    public const string Usage = """
        usage: dotnet run --project bench -c Release -- COMMAND [options]
          compare [--seconds N]     engine vs baseline on one PostgreSQL; prints the ratios (compare --help)
          micro [BDN args]          BenchmarkDotNet micro-benchmarks (allocations reported)
          startup [--runs N]        time to serving: SQLite default, fresh PostgreSQL, restart (startup --help)
          memory [--members N]      bytes per active member grain: RSS and GC heap (memory --help)
          rollup [--large N]        community rollup latency and freshness, 1k vs 100k members (rollup --help)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "compare" when args.Skip(1).Any(a => a is "--help" or "-h"):
                Console.WriteLine(CompareOptions.Usage);
                return 0;
            case "compare":
                return await CompareCommand.RunAsync(args[1..]);
            case "baseline-server":
                return await BaselineServer.RunAsync(args[1..]);
            case "micro":
                return Micro.MicroBenchmarks.Run(args[1..]);
            case "startup":
                return await Extras.StartupCommand.RunAsync(args[1..]);
            case "memory":
                return await Extras.MemoryCommand.RunAsync(args[1..]);
            case "rollup":
                return await Extras.RollupCommand.RunAsync(args[1..]);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Compare;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// <c>startup</c>: how long the silo program takes from being started to serving, on the embedded
/// SQLite default, on a fresh PostgreSQL database (schema migration included), and restarted on
/// that database with its state present. Each run does the three in turn, so that a change in the
/// machine's load falls on all three alike.
/// </summary>
public static class StartupCommand
{
    public const string Usage = """
        usage: startup [--runs N] [--skip-sqlite] [--ConnectionStrings:Progress=CONNECTION]
          Times `dotnet ProgressGrains.Silo.dll --demo` from process start to serving, in three cases:
            sqlite-fresh      the embedded default: SQLite in a fresh temporary data directory
            postgres-fresh    PostgreSQL, a fresh database (the schema is migrated at start)
            postgres-restart  the same database again, after a clean stop: state and demo present
          "healthy": GET /health answers 200; "first call": then a first gRPC call succeeds
          (GetMemberProgress of the demo's member wenhua-0001, on a new channel).
          --runs          starts per case (default 3); median, min and max are reported
          --skip-sqlite   PostgreSQL cases only
          ConnectionStrings:Progress  an existing server instead of a throwaway one (databases are
                          still created and dropped)
        """;

    private const string SqliteFresh = "sqlite-fresh";
    private const string PostgresFresh = "postgres-fresh";
    private const string PostgresRestart = "postgres-restart";

    /// <summary>A demo member and the demo community loaded last (DemoSeason's order): its rollup shows whether the demo is in.</summary>
    private static readonly BenchMember DemoMember = new(0, "wenhua-0001", "wenhua", "wenhua-g1");
    private const string LastDemoCommunity = "lianfeng";

    /// <summary>The demo loader's own log line says how long it took; the rest of the engine stays at warnings.</summary>
    private static readonly string[] DemoLogArgs = ["--Logging:LogLevel:ProgressGrains.Silo.Demo=Information"];

    private static readonly Regex DemoLoaded = new(@"Loaded the demo: .* in (?<seconds>[0-9.]+) s", RegexOptions.CultureInvariant);

    public static async Task<int> RunAsync(string[] args)
    {
        ExtrasArgs parsed;
        int runs;
        try
        {
            parsed = ExtrasArgs.Parse(args, ["--runs"], ["--skip-sqlite"]);
            runs = parsed.Number("--runs", 3, 1, 50);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (parsed.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        return await ExtrasRunner.RunAsync("startup", (work, ct) => RunAsync(runs, !parsed.Flag("--skip-sqlite"), parsed.ConnectionString, work, ct));
    }

    private static async Task<int> RunAsync(int runs, bool sqlite, string? connectionString, string work, CancellationToken cancellationToken)
    {
        var samples = new List<(string Case, StartSample Sample)>();
        ServerFacts facts;
        await using (var postgres = connectionString is { } existing ? ThrowawayPostgres.UseExisting(existing) : await ThrowawayPostgres.StartAsync(cancellationToken))
        {
            facts = await postgres.DescribeAsync(cancellationToken);
            var tokens = new BenchTokens();
            Console.WriteLine($"startup: {runs} run(s) of {(sqlite ? $"{SqliteFresh}, " : "")}{PostgresFresh}, {PostgresRestart}; PostgreSQL {facts.Version}; logs in {work}");
            for (var run = 1; run <= runs; run++)
            {
                if (sqlite)
                {
                    var data = Directory.CreateDirectory(Path.Combine(work, $"sqlite-{run}")).FullName;
                    Add(samples, SqliteFresh, run, await MeasureAsync(
                        ct => EngineProcess.StartSqliteAsync(data, tokens.SigningKey, data, DemoLogArgs, ct), tokens, cancellationToken));
                    // Only the log is worth keeping; the SQLite files are the bulk.
                    foreach (var file in Directory.GetFiles(data, "progress.db*"))
                    {
                        File.Delete(file);
                    }
                }

                var database = await postgres.CreateDatabaseAsync("bench_startup", cancellationToken);
                var directory = Directory.CreateDirectory(Path.Combine(work, $"postgres-{run}")).FullName;
                Add(samples, PostgresFresh, run, await MeasureAsync(
                    ct => EngineProcess.StartAsync(database, tokens.SigningKey, directory, groupCommit: true, DemoLogArgs, ct), tokens, cancellationToken));
                Add(samples, PostgresRestart, run, await MeasureAsync(
                    ct => EngineProcess.StartAsync(database, tokens.SigningKey, directory, groupCommit: true, DemoLogArgs, ct), tokens, cancellationToken));
            }
        }

        Report(samples, facts);
        return 0;
    }

    /// <summary>One start: to healthy, to the first answered call, what of the demo is in by then, and the clean stop.</summary>
    private static async Task<StartSample> MeasureAsync(Func<CancellationToken, Task<EngineProcess>> start, BenchTokens tokens, CancellationToken cancellationToken)
    {
        await using var engine = await start(cancellationToken);
        var healthy = Stopwatch.GetTimestamp();
        // Printed by the demo loader when it is done (on a restart too, after it found the demo in place).
        var log = ReadLog(engine.Process.LogFile);
        var demoAtHealthy = log.Contains("Demo ready:", StringComparison.Ordinal);
        // No such line on a restart: the loader found the demo in place and did nothing.
        var demoSeconds = DemoLoaded.Match(log) is { Success: true } m ? double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture) : 0;

        using var channel = GrpcChannel.ForAddress(engine.GrpcBase);
        var members = new MemberService.MemberServiceClient(channel);
        var answered = 0L;
        var failedAttempts = 0;
        while (answered == 0)
        {
            try
            {
                await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = DemoMember.MemberId },
                    GrpcProgressApi.Options(tokens.Member(DemoMember), cancellationToken));
                answered = Stopwatch.GetTimestamp();
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested && ++failedAttempts < 500)
            {
                await Task.Delay(20, cancellationToken);
            }
        }

        var communities = new CommunityService.CommunityServiceClient(channel);
        var rollup = await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = LastDemoCommunity },
            GrpcProgressApi.Options(tokens.Analyst(BenchRoster.SubdistrictId), cancellationToken));
        var stopping = Stopwatch.StartNew();
        await engine.StopAsync();
        var stopped = stopping.Elapsed;
        double Seconds(long timestamp) => (timestamp - engine.Process.StartedTimestamp) / (double)Stopwatch.Frequency;
        return new StartSample(Seconds(healthy), Seconds(answered), failedAttempts, demoAtHealthy, demoSeconds, rollup.EnrolledMembers, rollup.TotalLessonCompletions, stopped.TotalSeconds);
    }

    private static string ReadLog(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Add(List<(string, StartSample)> samples, string name, int run, StartSample sample)
    {
        samples.Add((name, sample));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  run {run} {name}: healthy after {sample.HealthySeconds:F2} s, first call answered after {sample.FirstCallSeconds:F2} s "
            + $"({sample.FailedAttempts} failed attempts before it); demo done when healthy: {(sample.DemoDoneAtHealthy ? "yes" : "no")} (its load took {sample.DemoSeconds:F1} s of it); "
            + $"{LastDemoCommunity} then had {sample.LastCommunityMembers} members, {sample.LastCommunityLessons} lesson completions; stop took {sample.StopSeconds:F1} s"));
    }

    private static void Report(List<(string Case, StartSample Sample)> samples, ServerFacts facts)
    {
        static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
        var cases = samples.GroupBy(s => s.Case, s => s.Sample).ToList();
        Console.WriteLine();
        Console.Write(TextTable.Render(
            ["case", "runs", "healthy s (median)", "min", "max", "first call s (median)", "min", "max", "demo done when healthy", "demo load s (median)", "stop s (median)"],
            cases.Select(c => (IReadOnlyList<string>)
            [
                c.Key,
                c.Count().ToString(CultureInfo.InvariantCulture),
                F(Median(c.Select(s => s.HealthySeconds))),
                F(c.Min(s => s.HealthySeconds)),
                F(c.Max(s => s.HealthySeconds)),
                F(Median(c.Select(s => s.FirstCallSeconds))),
                F(c.Min(s => s.FirstCallSeconds)),
                F(c.Max(s => s.FirstCallSeconds)),
                $"{c.Count(s => s.DemoDoneAtHealthy)}/{c.Count()}",
                F(Median(c.Select(s => s.DemoSeconds))),
                F(Median(c.Select(s => s.StopSeconds))),
            ]),
            new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 9, 10 }));
        Console.WriteLine();
        foreach (var line in MachineInfo.Describe(facts))
        {
            Console.WriteLine(line);
        }

        foreach (var c in cases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"startup {c.Key}: healthy {F(Median(c.Select(s => s.HealthySeconds)))} s median (min {F(c.Min(s => s.HealthySeconds))}, max {F(c.Max(s => s.HealthySeconds))}), "
                + $"first gRPC call {F(Median(c.Select(s => s.FirstCallSeconds)))} s median (min {F(c.Min(s => s.FirstCallSeconds))}, max {F(c.Max(s => s.FirstCallSeconds))}), "
                + $"{c.Count()} runs, demo loaded before healthy in {c.Count(s => s.DemoDoneAtHealthy)} (demo load {F(Median(c.Select(s => s.DemoSeconds)))} s median of it)"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record StartSample(double HealthySeconds, double FirstCallSeconds, int FailedAttempts, bool DemoDoneAtHealthy, double DemoSeconds,
        int LastCommunityMembers, long LastCommunityLessons, double StopSeconds);
}

using System.Diagnostics;
using System.Globalization;
using ProgressGrains.Bench.Baseline;
using ProgressGrains.Bench.Extras;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;
using ProgressGrains.Bench.Verification;

namespace ProgressGrains.Bench.Compare;

/// <summary>
/// <c>compare</c>: the baseline, then the engine (group commit on), then the engine again with
/// group commit off (ingest only), each on a fresh database of one PostgreSQL server, one system at a
/// time so they never share the machine. Prints the table, the verification, the machine, whether
/// each target holds and the two ratios; exits 1 when anything acknowledged is missing or doubled.
/// </summary>
public static class CompareCommand
{
    public const string Baseline = "baseline";
    public const string Engine = "engine";
    public const string EnginePerEvent = "engine, commit per event";

    public static async Task<int> RunAsync(string[] args)
    {
        CompareOptions options;
        try
        {
            options = CompareOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine(CompareOptions.Usage);
            return 2;
        }

        // Ctrl+C or SIGTERM: stop the load, then still stop the programs and PostgreSQL and delete their files.
        return await ExtrasRunner.RunAsync("compare", (work, cancellationToken) => RunAsync(options, work, cancellationToken), options.Keep);
    }

    private static async Task<int> RunAsync(CompareOptions options, string work, CancellationToken cancellationToken)
    {
        var results = new List<PhaseResult>();
        var verifications = new List<VerificationResult>();
        var failures = new List<string>();
        ServerFacts facts;
        await using (var postgres = options.ConnectionString is { } existing ? ThrowawayPostgres.UseExisting(existing) : await ThrowawayPostgres.StartAsync(cancellationToken))
        {
            postgres.Keep = options.Keep;
            facts = await postgres.DescribeAsync(cancellationToken);
            var tokens = new BenchTokens();
            var roster = BenchRoster.Create(options.Members, options.Communities);
            var season = BenchSeason.Starting(DateTimeOffset.UtcNow, options.SeasonNotStarted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compare: {options.Members} members in {roster.Communities.Count} communities, {options.Concurrency} clients (closed loop), mix {options.Mix}, "
                + $"{options.JitWarmupSeconds} s of ingest first (JIT warm-up, not measured), then {options.WarmupSeconds} s warm-up + {options.Seconds} s per phase, JSON {(options.Json ? "on" : "off")}{(options.Reads ? "" : ", reads off")}, "
                + $"season {(options.SeasonNotStarted ? "starting tomorrow" : $"{BenchSeason.DaysBefore} days under way")}; "
                + $"PostgreSQL {facts.Version} {(postgres.DataDirectory is null ? "(given)" : $"(throwaway, {postgres.DataDirectory})")}; logs in {work}"));

            async Task Attempt(string system, Func<Task> run)
            {
                try
                {
                    await run();
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures.Add($"{system}: {ex.GetType().Name}: {ex.Message}");
                    Console.Error.WriteLine($"{system} failed: {ex}");
                }
            }

            if (options.Systems.Contains("baseline"))
            {
                await Attempt(Baseline, () => RunBaselineAsync(options, postgres, tokens, roster, season, work, results, verifications, cancellationToken));
            }

            if (options.Systems.Contains("engine"))
            {
                await Attempt(Engine, () => RunEngineAsync(Engine, groupCommit: true, allPhases: true, options, postgres, tokens, roster, season, work, results, verifications, cancellationToken));
            }

            if (options.Systems.Contains("engine-per-event"))
            {
                await Attempt(EnginePerEvent, () => RunEngineAsync(EnginePerEvent, groupCommit: false, allPhases: false, options, postgres, tokens, roster, season, work, results, verifications, cancellationToken));
            }

            if (options.Keep)
            {
                Console.WriteLine($"kept: PostgreSQL {postgres.AdminConnectionString}{(postgres.DataDirectory is { } d ? $" (stop: runuser -u postgres -- pg_ctl -D {d} stop)" : "")}");
            }
        }

        Report(results, verifications, failures, facts);
        var ok = failures.Count == 0 && verifications.Count == options.Systems.Count && verifications.All(v => v.Ok);
        return ok ? 0 : 1;
    }

    private static async Task RunBaselineAsync(CompareOptions options, ThrowawayPostgres postgres, BenchTokens tokens, BenchRoster roster, BenchSeason season, string work,
        List<PhaseResult> results, List<VerificationResult> verifications, CancellationToken cancellationToken)
    {
        var database = await postgres.CreateDatabaseAsync("bench_baseline", cancellationToken);
        var started = Stopwatch.StartNew();
        await using var baseline = await BaselineProcess.StartAsync(database, tokens.SigningKey, work, options.BaselinePool, cancellationToken);
        var startup = started.Elapsed;
        await BaselineSchema.SeedRosterAsync(database, roster, cancellationToken);
        Console.WriteLine($"{Baseline}: serving after {startup.TotalSeconds:F1} s (pool {options.BaselinePool}); roster of {roster.Members.Count} seeded");

        var log = new AcknowledgedLog();
        var planner = new EventPlanner(roster, season, options.Mix);
        var meters = Meters(baseline.Process.Id, postgres);
        await IngestPhasesAsync(Baseline, baseline.GrpcBase, baseline.HttpBase, allPhases: true, options, tokens, planner, log, results, meters, cancellationToken);
        if (options.Reads)
        {
            await ReadPhasesAsync(Baseline, baseline.GrpcBase, options, tokens, roster, results, meters, cancellationToken);
        }

        var verification = await BaselineVerifier.VerifyAsync(Baseline, database, log, cancellationToken);
        Print(verification);
        verifications.Add(verification);
        await baseline.StopAsync();
    }

    private static async Task RunEngineAsync(string system, bool groupCommit, bool allPhases, CompareOptions options, ThrowawayPostgres postgres, BenchTokens tokens,
        BenchRoster roster, BenchSeason season, string work, List<PhaseResult> results, List<VerificationResult> verifications, CancellationToken cancellationToken)
    {
        var database = await postgres.CreateDatabaseAsync(groupCommit ? "bench_engine" : "bench_engine_per_event", cancellationToken);
        var directory = Directory.CreateDirectory(Path.Combine(work, groupCommit ? "engine" : "engine-per-event")).FullName;
        var started = Stopwatch.StartNew();
        await using var engine = await EngineProcess.StartAsync(database, tokens.SigningKey, directory, groupCommit, [], cancellationToken);
        var startup = started.Elapsed;
        var import = await EngineSetup.PrepareAsync(engine.GrpcBase, tokens, season, roster, cancellationToken);
        Console.WriteLine($"{system}: serving after {startup.TotalSeconds:F1} s (demo loaded; --Storage:GroupCommit:Enabled={(groupCommit ? "true" : "false")}); "
            + $"season loaded, roster of {roster.Members.Count} imported in {import.TotalSeconds:F1} s");

        var log = new AcknowledgedLog();
        var planner = new EventPlanner(roster, season, options.Mix);
        var meters = Meters(engine.Process.Id, postgres);
        var before = await EngineStorageProbe.WritesAsync(database, cancellationToken);
        await IngestPhasesAsync(system, engine.GrpcBase, engine.HttpBase, allPhases, options, tokens, planner, log, results, meters, cancellationToken);
        var after = await EngineStorageProbe.WritesAsync(database, cancellationToken);
        Console.WriteLine($"  {system} state writes during ingest (grain versions), for {log.Acknowledged.Count} events acknowledged: {EngineStorageProbe.Describe(before, after, log.Acknowledged.Count)}");
        if (allPhases && options.Reads)
        {
            await ReadPhasesAsync(system, engine.GrpcBase, options, tokens, roster, results, meters, cancellationToken);
        }

        var verification = await EngineVerifier.VerifyAsync(system, engine.GrpcBase, tokens, log, cancellationToken);
        Print(verification);
        verifications.Add(verification);
        await engine.StopAsync();
    }

    /// <summary>gRPC ingest, then (all phases, unless --no-json) JSON ingest.</summary>
    private static async Task IngestPhasesAsync(string system, Uri grpcBase, Uri httpBase, bool allPhases, CompareOptions options, BenchTokens tokens,
        EventPlanner planner, AcknowledgedLog log, List<PhaseResult> results, IReadOnlyList<CpuMeter> meters, CancellationToken cancellationToken)
    {
        using (var grpc = new GrpcProgressApi(grpcBase))
        {
            if (options.JitWarmupSeconds > 0)
            {
                // Its events are real: acknowledged into the same log and verified with the rest.
                var warmup = new LoadSettings(options.Concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(options.JitWarmupSeconds));
                Add(results, await new LoadGenerator(grpc, tokens, warmup) { Meters = meters }.IngestAsync(system, planner, log, cancellationToken, JitWarmupPhase));
            }

            Add(results, await new LoadGenerator(grpc, tokens, options.Load) { Meters = meters }.IngestAsync(system, planner, log, cancellationToken));
        }

        if (allPhases && options.Json)
        {
            using var json = new JsonProgressApi(httpBase);
            Add(results, await new LoadGenerator(json, tokens, options.Load) { Meters = meters }.IngestAsync(system, planner, log, cancellationToken));
        }
    }

    /// <summary>Member-progress and rollup reads over gRPC, after the ingest, so the state is warm.</summary>
    private static async Task ReadPhasesAsync(string system, Uri grpcBase, CompareOptions options, BenchTokens tokens, BenchRoster roster,
        List<PhaseResult> results, IReadOnlyList<CpuMeter> meters, CancellationToken cancellationToken)
    {
        using var grpc = new GrpcProgressApi(grpcBase);
        var load = new LoadGenerator(grpc, tokens, options.Load) { Meters = meters };
        Add(results, await load.ReadProgressAsync(system, roster, cancellationToken));
        Add(results, await load.ReadRollupsAsync(system, roster, cancellationToken));
    }

    /// <summary>CPU meters for a phase: the server under test, the throwaway PostgreSQL (not one named by a connection string), and this load generator.</summary>
    private static CpuMeter[] Meters(int serverProcessId, ThrowawayPostgres postgres) =>
        [.. new[] { CpuMeter.ForProcess(ServerCpu, serverProcessId), CpuMeter.ForPostgres(PostgresCpu, postgres.DataDirectory), CpuMeter.ForThisProcess(ClientCpu) }.OfType<CpuMeter>()];

    /// <summary>The phase name of the unmeasured first ingest (see <see cref="CompareOptions.JitWarmupSeconds"/>); no ratio reads it.</summary>
    internal const string JitWarmupPhase = "ingest, JIT warm-up";

    internal const string ServerCpu = "server";
    internal const string PostgresCpu = "PostgreSQL";
    internal const string ClientCpu = "load generator";

    private static void Add(List<PhaseResult> results, PhaseResult result)
    {
        results.Add(result);
        var cpu = result.CpuMsPerOperation.Count == 0
            ? ""
            : "; CPU ms per op: " + string.Join(", ", result.CpuMsPerOperation.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:F3}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.System} {result.Protocol} {result.Phase}: {result.PerSecond:F0}/s, p50 {result.Latency.P50:F2} ms, p99 {result.Latency.P99:F2} ms, "
            + $"{result.ErrorCount} failed attempts{cpu}{(result.Note is null ? "" : $"; {result.Note}")}"));
    }

    private static void Print(VerificationResult verification)
    {
        Console.WriteLine($"  verification {verification}");
        foreach (var problem in verification.Problems)
        {
            Console.WriteLine($"    {problem}");
        }
    }

    private static void Report(List<PhaseResult> results, List<VerificationResult> verifications, List<string> failures, ServerFacts facts)
    {
        Console.WriteLine();
        Console.Write(ResultTable.Render(results));
        Console.WriteLine();
        foreach (var verification in verifications)
        {
            Console.WriteLine($"verification {verification}");
        }

        foreach (var failure in failures)
        {
            Console.WriteLine($"FAILED {failure}");
        }

        foreach (var line in MachineInfo.Describe(facts))
        {
            Console.WriteLine(line);
        }

        double? Rate(string system, string protocol, string phase) =>
            results.FirstOrDefault(r => r.System == system && r.Protocol == protocol && r.Phase == phase)?.PerSecond;
        var engineIngest = Rate(Engine, "gRPC", "ingest");
        var baselineIngest = Rate(Baseline, "gRPC", "ingest");
        var engineReads = Rate(Engine, "gRPC", "member progress read");
        var engineP99 = results.FirstOrDefault(r => r.System == Engine && r.Protocol == "gRPC" && r.Phase == "ingest")?.Latency.P99;
        double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;
        var vsBaseline = Ratio(engineIngest, baselineIngest);
        var vsReads = Ratio(engineIngest, engineReads);
        string Holds(double? value, Func<double, bool> target) => value is { } v ? (target(v) ? "holds" : "does NOT hold") : "unknown (no result)";
        string F(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a";
        Console.WriteLine($"target engine ingest >= 5x baseline ingest (gRPC): {Holds(vsBaseline, r => r >= 5)} ({F(vsBaseline)}{(vsBaseline is null ? "" : "x")})");
        Console.WriteLine($"target engine ingest >= 70% of engine member-progress reads (gRPC): {Holds(vsReads, r => r >= 0.70)} ({F(vsReads * 100)}{(vsReads is null ? "" : "%")})");
        Console.WriteLine($"target engine ingest p99 <= 50 ms (gRPC): {Holds(engineP99, p => p <= 50)} ({F(engineP99)}{(engineP99 is null ? "" : " ms")})");
        Console.WriteLine($"ingest ratio vs baseline: {F(vsBaseline)}");
        Console.WriteLine($"ingest / read ratio: {F(vsReads)}");
    }
}

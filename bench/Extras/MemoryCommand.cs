using System.Globalization;
using Npgsql;
using ProgressGrains.Bench.Compare;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// <c>memory</c>: what one active member costs the silo in memory. The engine on PostgreSQL, warmed
/// up with a few members; then members are added in two steps (a quarter, then the rest), each
/// member imported (which activates its grain), sent one lesson and read once, so that its grain
/// and its community's rollup hold state. After each step, with nothing else sent, the silo is made
/// to collect fully, and its RSS and its GC heap (from its own /metrics) are read.
/// </summary>
public static class MemoryCommand
{
    public const string Usage = """
        usage: memory [--members N] [--warmup-members W] [--concurrency K] [--hold S] [--ConnectionStrings:Progress=CONNECTION]
          Memory per active member grain, from the silo's RSS (/proc/PID/status VmRSS) and its GC heap
          (dotnet_gc_last_collection_heap_size_bytes on its /metrics, read after a full GC the
          benchmark requests through the diagnostics port). Members are spread over the demo's five
          communities; each is imported, sends one lesson and reads its progress.
          --members         members measured (default 20000), added as N/4 and then 3N/4, so the
                            per-member cost is reported at N/4 and at N (linearity)
          --warmup-members  members put through the same steps before the baseline reading (default 500):
                            code paths, pools and caches are then warm and not counted per member
          --concurrency     members driven at once (default 32)
          --hold            keep the engine up S seconds after the last reading (default 0), e.g. for
                            `dotnet-gcdump collect -p PID` (the PID is printed at the start)
        """;

    private const int SettleSeconds = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        ExtrasArgs parsed;
        int members, warmup, concurrency, hold;
        try
        {
            parsed = ExtrasArgs.Parse(args, ["--members", "--warmup-members", "--concurrency", "--hold"], []);
            members = parsed.Number("--members", 20_000, 4, 500_000);
            warmup = parsed.Number("--warmup-members", 500, 1, 100_000);
            concurrency = parsed.Number("--concurrency", 32, 1, 1000);
            hold = parsed.Number("--hold", 0, 0, 3600);
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

        return await ExtrasRunner.RunAsync("memory", (work, ct) => RunAsync(members, warmup, concurrency, hold, parsed.ConnectionString, work, ct));
    }

    private static async Task<int> RunAsync(int members, int warmup, int concurrency, int hold, string? connectionString, string work, CancellationToken cancellationToken)
    {
        await using var postgres = connectionString is { } existing ? ThrowawayPostgres.UseExisting(existing) : await ThrowawayPostgres.StartAsync(cancellationToken);
        var facts = await postgres.DescribeAsync(cancellationToken);
        var database = await postgres.CreateDatabaseAsync("bench_memory", cancellationToken);
        var tokens = new BenchTokens();
        var season = BenchSeason.Starting(DateTimeOffset.UtcNow);
        var roster = BenchRoster.Create(warmup + members, BenchRoster.DemoCommunities.Count);
        await using var engine = await EngineProcess.StartAsync(database, tokens.SigningKey, work, groupCommit: true, [], cancellationToken);
        await EngineSetup.LoadSeasonAsync(engine.GrpcBase, tokens, season, cancellationToken);
        Console.WriteLine($"memory: {members} members (+{warmup} warm-up) over {roster.Communities.Count} communities, {concurrency} at a time; "
            + $"silo PID {engine.Process.Id}, PostgreSQL {facts.Version}; logs in {work}");

        using var api = new GrpcProgressApi(engine.GrpcBase);
        var quarter = members / 4;
        var failures = 0;
        async Task AddAsync(string what, BenchRoster part)
        {
            var import = await EngineSetup.ImportRosterAsync(engine.GrpcBase, tokens, part, cancellationToken);
            var drive = await MemberDriver.LessonEachAsync(api, tokens, part.Members, lessonIndex: 0, readBack: true, concurrency, cancellationToken);
            failures += drive.GivenUp;
            Console.WriteLine(FormattableString.Invariant($"  {what}: imported {part.Members.Count} in {import.TotalSeconds:F1} s; lesson + read: {drive.Describe()}"));
        }

        await AddAsync("warm-up", roster.Slice(0, warmup));
        var baseline = await SnapshotAsync("baseline (after warm-up)", engine, tokens, 0, cancellationToken);
        await AddAsync("step 1", roster.Slice(warmup, quarter));
        var first = await SnapshotAsync($"+{quarter} members", engine, tokens, quarter, cancellationToken);
        await AddAsync("step 2", roster.Slice(warmup + quarter, members - quarter));
        var all = await SnapshotAsync($"+{members} members", engine, tokens, members, cancellationToken);
        var stored = await StoredMemberBytesAsync(database, cancellationToken);
        if (hold > 0)
        {
            Console.WriteLine($"  holding the engine (PID {engine.Process.Id}) for {hold} s");
            await Task.Delay(TimeSpan.FromSeconds(hold), cancellationToken);
        }

        await engine.StopAsync();
        // What a member's state takes in the database, beside what its activation takes in memory.
        Console.WriteLine(FormattableString.Invariant($"  stored state: member {stored.Member:F0} B on average, community {stored.Community:F0} B per roster entry"));

        Report([baseline, first, all], facts);
        if (failures > 0)
        {
            Console.WriteLine($"FAILED: {failures} members' lesson or read failed (see above); the per-member numbers count them as active.");
            return 1;
        }

        return 0;
    }

    /// <summary>Mean stored bytes of a member's state, and of the communities' states per member on their rosters.</summary>
    private static async Task<(double Member, double Community)> StoredMemberBytesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(avg(octet_length(payloadbinary)) FILTER (WHERE graintypestring = 'member'), 0)::float8,
                   coalesce(sum(octet_length(payloadbinary)) FILTER (WHERE graintypestring = 'community'), 0)::float8
                     / greatest(count(*) FILTER (WHERE graintypestring = 'member'), 1)
            FROM orleansstorage
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    /// <summary>Lets the community flushes and the callers' work finish, collects fully, then reads RSS and the engine's metrics.</summary>
    private static async Task<Snapshot> SnapshotAsync(string label, EngineProcess engine, BenchTokens tokens, int added, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(SettleSeconds), cancellationToken);
        const string Gen2 = "gc_heap_generation=\"gen2\"";
        var before = await SiloMetrics.ScrapeAsync(engine.HttpBase, tokens.Operator(), cancellationToken);
        string? gcNote = null;
        try
        {
            await SiloGc.CollectAsync(engine.Process.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            gcNote = $"no full GC forced ({ex.GetType().Name}: {ex.Message})";
        }

        // The gauges are read at scrape time; one second lets a scrape cache of the exporter expire.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var rss = ProcessMemory.ResidentBytes(engine.Process.Id);
        var metrics = await SiloMetrics.ScrapeAsync(engine.HttpBase, tokens.Operator(), cancellationToken);
        var gen2Before = before.Sum("dotnet_gc_collections_total", Gen2);
        var gen2After = metrics.Sum("dotnet_gc_collections_total", Gen2);
        if (gcNote is null && !(gen2After > gen2Before))
        {
            gcNote = "the requested full GC did not show in the gen2 count: the heap is as of the last GC";
        }

        var snapshot = new Snapshot(label, added, rss,
            metrics.Sum("dotnet_gc_last_collection_heap_size_bytes"),
            metrics.Sum("dotnet_gc_last_collection_memory_committed_size_bytes"),
            metrics.Sum("orleans_catalog_activations", "grain_type=\"member\""),
            metrics.Sum("orleans_catalog_activations"),
            gcNote);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: RSS {Mb(rss)} MB, GC heap {Mb(snapshot.HeapBytes)} MB (committed {Mb(snapshot.CommittedBytes)} MB), member activations {snapshot.MemberActivations?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a"}, "
            + $"all activations {snapshot.AllActivations?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a"}{(gcNote is null ? "" : $"; {gcNote}")}"));
        return snapshot;
    }

    private static void Report(IReadOnlyList<Snapshot> snapshots, ServerFacts facts)
    {
        var baseline = snapshots[0];
        string PerMember(double? now, double? then, int members) =>
            now is { } n && then is { } t && members > 0 ? ((n - t) / members).ToString("F0", CultureInfo.InvariantCulture) : "";
        string Count(double? value) => value?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a";
        Console.WriteLine();
        Console.Write(TextTable.Render(
            ["point", "members added", "member activations", "all activations", "RSS MB", "GC heap MB", "GC committed MB", "RSS B/member", "heap B/member"],
            snapshots.Select(s => (IReadOnlyList<string>)
            [
                s.Label,
                s.Added.ToString(CultureInfo.InvariantCulture),
                Count(s.MemberActivations),
                Count(s.AllActivations),
                Mb(s.RssBytes),
                Mb(s.HeapBytes),
                Mb(s.CommittedBytes),
                PerMember(s.RssBytes, baseline.RssBytes, s.Added),
                PerMember(s.HeapBytes, baseline.HeapBytes, s.Added),
            ]),
            new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Console.WriteLine();
        Console.WriteLine("per member = (reading - baseline) / members added; the baseline already holds the demo's 300 members and the warm-up members.");
        foreach (var line in MachineInfo.Describe(facts))
        {
            Console.WriteLine(line);
        }

        var (first, all) = (snapshots[1], snapshots[2]);
        foreach (var s in new[] { first, all })
        {
            Console.WriteLine($"memory per active member at N={s.Added}: RSS {PerMember(s.RssBytes, baseline.RssBytes, s.Added)} B, "
                + $"GC heap {PerMember(s.HeapBytes, baseline.HeapBytes, s.Added)} B (member activations {Count(s.MemberActivations)})");
        }

        Console.WriteLine($"memory per active member from N={first.Added} to N={all.Added} (marginal): RSS {PerMember(all.RssBytes, first.RssBytes, all.Added - first.Added)} B, "
            + $"GC heap {PerMember(all.HeapBytes, first.HeapBytes, all.Added - first.Added)} B");
    }

    private static string Mb(double? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private sealed record Snapshot(string Label, int Added, long RssBytes, double? HeapBytes, double? CommittedBytes,
        double? MemberActivations, double? AllActivations, string? GcNote);
}

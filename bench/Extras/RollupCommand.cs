using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Net.Client;
using Npgsql;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Compare;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// <c>rollup</c>: a community's rollup with a small and with a large roster. The community grain is
/// the one place every member's event passes through and it rewrites its whole state on a timer,
/// so its cost grows with the roster: here read latency, freshness, and ingest into that one
/// community are measured at both sizes, each on a fresh engine and database.
/// </summary>
public static class RollupCommand
{
    public const string Usage = """
        usage: rollup [--small N] [--large N] [--seconds N] [--read-concurrency K] [--ingest-concurrency K]
                      [--event-share F] [--samples N] [--ConnectionStrings:Progress=CONNECTION]
          For each size, a fresh engine and database: the roster imported into ONE community (wenhua,
          grids g1..g3), a share of the members sent one lesson each (so the rollup counts them),
          then, one after the other:
            rollup reads   GetCommunityRollup of wenhua, closed loop of --read-concurrency callers
            freshness      --samples times: a member's lesson, then the rollup polled until it counts
                           it (time from the acknowledgement, and whether the first read had it)
            ingest         check-ins and quiz attempts of the community's members, closed loop of
                           --ingest-concurrency callers; the community's state writes are counted
          --small / --large     roster sizes (defaults 1000 and 100000; at most 100000, the size of
                                one roster upload)
          --seconds             measured seconds per phase (default 10), after 2 s not counted
          --read-concurrency    default 8
          --ingest-concurrency  callers of the seeding and of the ingest phase (default 32)
          --event-share         share of the members seeded with a lesson (default 1: every member)
          --samples             freshness samples (default 20)
        """;

    private const string Community = "wenhua";
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(string[] args)
    {
        ExtrasArgs parsed;
        Settings settings;
        try
        {
            parsed = ExtrasArgs.Parse(args, ["--small", "--large", "--seconds", "--read-concurrency", "--ingest-concurrency", "--event-share", "--samples"], []);
            settings = new Settings(
                [parsed.Number("--small", 1_000, 1, 100_000), parsed.Number("--large", 100_000, 1, 100_000)],
                parsed.Number("--seconds", 10, 1, 600),
                parsed.Number("--read-concurrency", 8, 1, 1000),
                parsed.Number("--ingest-concurrency", 32, 1, 1000),
                parsed.Fraction("--event-share", 1.0),
                parsed.Number("--samples", 20, 1, 1000));
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

        return await ExtrasRunner.RunAsync("rollup", (work, ct) => RunAsync(settings, parsed.ConnectionString, work, ct));
    }

    private static async Task<int> RunAsync(Settings settings, string? connectionString, string work, CancellationToken cancellationToken)
    {
        var sizes = new List<SizeResult>();
        ServerFacts facts;
        await using (var postgres = connectionString is { } existing ? ThrowawayPostgres.UseExisting(existing) : await ThrowawayPostgres.StartAsync(cancellationToken))
        {
            facts = await postgres.DescribeAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rollup: community {Community} with {string.Join(" and ", settings.Sizes)} members; {settings.EventShare:P0} of them seeded with one lesson "
                + $"({settings.IngestConcurrency} at a time); {Warmup.TotalSeconds:F0} s + {settings.Seconds} s per phase; PostgreSQL {facts.Version}; logs in {work}"));
            foreach (var size in settings.Sizes)
            {
                sizes.Add(await MeasureAsync(size, settings, postgres, work, cancellationToken));
            }
        }

        Report(sizes, facts);
        return sizes.All(s => s.Ok) ? 0 : 1;
    }

    private static async Task<SizeResult> MeasureAsync(int size, Settings settings, ThrowawayPostgres postgres, string work, CancellationToken cancellationToken)
    {
        var label = $"{Community} {size} members";
        var total = Stopwatch.StartNew();
        var database = await postgres.CreateDatabaseAsync("bench_rollup", cancellationToken);
        var directory = Directory.CreateDirectory(Path.Combine(work, $"rollup-{size}")).FullName;
        var tokens = new BenchTokens();
        var season = BenchSeason.Starting(DateTimeOffset.UtcNow);
        var roster = BenchRoster.Create(size, 1);
        await using var engine = await EngineProcess.StartAsync(database, tokens.SigningKey, directory, groupCommit: true, [], cancellationToken);
        await EngineSetup.LoadSeasonAsync(engine.GrpcBase, tokens, season, cancellationToken);
        var import = await EngineSetup.ImportRosterAsync(engine.GrpcBase, tokens, roster, cancellationToken);
        Console.WriteLine(FormattableString.Invariant($"{label}: roster imported in {import.TotalSeconds:F1} s ({size / import.TotalSeconds:F0} members/s)"));

        using var api = new GrpcProgressApi(engine.GrpcBase);
        var seeded = roster.Members.Take((int)Math.Ceiling(size * settings.EventShare)).ToList();
        var seeding = await MemberDriver.LessonEachAsync(api, tokens, seeded, lessonIndex: 0, readBack: false, settings.IngestConcurrency, cancellationToken);
        Console.WriteLine($"  seeding (one lesson each, into the one community): {seeding.Describe()}");
        // Two flush intervals: the community's state is then written with every seeded member in it.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var stateBytes = await CommunityStateBytesAsync(database, cancellationToken);

        using var channel = GrpcChannel.ForAddress(engine.GrpcBase);
        var communities = new CommunityService.CommunityServiceClient(channel);
        var analyst = tokens.Analyst(BenchRoster.SubdistrictId);
        var rollup = await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = Community }, GrpcProgressApi.Options(analyst, cancellationToken));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  rollup: {rollup.EnrolledMembers} enrolled, {rollup.ActiveMembers} active, {rollup.TotalLessonCompletions} lesson completions, answer {rollup.CalculateSize()} bytes; "
            + $"community state stored: {stateBytes / 1024.0:F0} KB"));

        var phases = new List<PhaseResult>();
        var reads = await new LoadGenerator(api, tokens, new LoadSettings(settings.ReadConcurrency, Warmup, TimeSpan.FromSeconds(settings.Seconds)))
            .ReadRollupsAsync(label, roster, cancellationToken);
        phases.Add(Print(reads));

        var freshness = await FreshnessAsync(communities, api, tokens, analyst, seeded, settings.Samples, cancellationToken);
        Console.WriteLine($"  freshness: {freshness.Describe()}");

        var log = new AcknowledgedLog();
        // Check-ins and quizzes only: the seeding used the members' first lesson, and the planner would start there again.
        var planner = new EventPlanner(roster, season, new EventMix(0, 50, 50));
        var writesBefore = await EngineStorageProbe.WritesAsync(database, cancellationToken);
        var ingest = await new LoadGenerator(api, tokens, new LoadSettings(settings.IngestConcurrency, Warmup, TimeSpan.FromSeconds(settings.Seconds)))
            .IngestAsync(label, planner, log, cancellationToken);
        var writesAfter = await EngineStorageProbe.WritesAsync(database, cancellationToken);
        phases.Add(Print(ingest));
        var communityWrites = writesAfter.GetValueOrDefault("community") - writesBefore.GetValueOrDefault("community");
        // The phase ran for warm-up + measured seconds; the probe counts over all of it.
        var phaseSeconds = Warmup.TotalSeconds + settings.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  state writes during ingest ({log.Acknowledged.Count} events acknowledged): {EngineStorageProbe.Describe(writesBefore, writesAfter, log.Acknowledged.Count)}; "
            + $"community: {communityWrites / phaseSeconds:F2} writes/s of ~{stateBytes / 1024.0:F0} KB = ~{communityWrites * stateBytes / phaseSeconds / 1024:F0} KB/s"));

        await engine.StopAsync();
        var result = new SizeResult(size, label, import, seeding, stateBytes, rollup.CalculateSize(), phases, freshness, communityWrites / phaseSeconds, total.Elapsed,
            seeding.GivenUp == 0 && freshness.Missing == 0 && reads.ErrorCount == 0);
        Console.WriteLine(FormattableString.Invariant($"  {label}: {total.Elapsed.TotalSeconds:F0} s in all (engine start to stop)"));
        return result;
    }

    /// <summary>
    /// One member at a time, nothing else running: the rollup before, the lesson, and then the
    /// rollup read again and again until its lesson count has grown by one (at most 10 s).
    /// </summary>
    private static async Task<Freshness> FreshnessAsync(CommunityService.CommunityServiceClient communities, GrpcProgressApi api, BenchTokens tokens, string analyst,
        IReadOnlyList<BenchMember> seeded, int samples, CancellationToken cancellationToken)
    {
        var delays = new List<double>();
        var firstRead = 0;
        var missing = 0;
        var step = Math.Max(1, seeded.Count / samples);
        foreach (var member in seeded.Where((_, i) => i % step == 0).Take(samples))
        {
            var before = (await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = Community }, GrpcProgressApi.Options(analyst, cancellationToken)))
                .TotalLessonCompletions;
            // The member's second lesson: the first was the seeding's.
            await api.SendAsync(new PlannedEvent(member, Guid.NewGuid(), EventKind.Lesson, BenchSeason.LessonId(1), DateTimeOffset.UtcNow), tokens.Member(member), cancellationToken);
            var acknowledged = Stopwatch.StartNew();
            for (var read = 1; ; read++)
            {
                var now = (await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = Community }, GrpcProgressApi.Options(analyst, cancellationToken)))
                    .TotalLessonCompletions;
                if (now > before)
                {
                    delays.Add(acknowledged.Elapsed.TotalMilliseconds);
                    firstRead += read == 1 ? 1 : 0;
                    break;
                }

                if (acknowledged.Elapsed > TimeSpan.FromSeconds(10))
                {
                    missing++;
                    break;
                }

                await Task.Delay(5, cancellationToken);
            }
        }

        return new Freshness(delays.Count + missing, firstRead, missing, delays.Count == 0 ? 0 : delays.Order().ElementAt(delays.Count / 2), delays.Count == 0 ? 0 : delays.Max());
    }

    /// <summary>The stored size of the largest community state (the one with the bench's roster).</summary>
    private static async Task<long> CommunityStateBytesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(octet_length(payloadbinary)), 0)::bigint FROM orleansstorage WHERE graintypestring = 'community'", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static PhaseResult Print(PhaseResult result)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.Phase}: {result.PerSecond:F0}/s, p50 {result.Latency.P50:F2} ms, p95 {result.Latency.P95:F2} ms, p99 {result.Latency.P99:F2} ms, "
            + $"{result.ErrorCount} failed attempts{(result.Note is null ? "" : $"; {result.Note}")}"));
        return result;
    }

    private static void Report(List<SizeResult> sizes, ServerFacts facts)
    {
        static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.Write(TextTable.Render(
            ["members", "import s", "seeding events/s", "state KB", "answer B", "fresh at 1st read", "fresh median ms", "fresh max ms", "community writes/s", "total s"],
            sizes.Select(s => (IReadOnlyList<string>)
            [
                s.Size.ToString(CultureInfo.InvariantCulture),
                F(s.Import.TotalSeconds),
                F(s.Seeding.PerSecond, "F0"),
                F(s.StateBytes / 1024.0, "F0"),
                s.AnswerBytes.ToString(CultureInfo.InvariantCulture),
                $"{s.Freshness.FirstRead}/{s.Freshness.Samples}",
                F(s.Freshness.MedianMs, "F2"),
                F(s.Freshness.MaxMs, "F2"),
                F(s.CommunityWritesPerSecond, "F2"),
                F(s.Total.TotalSeconds, "F0"),
            ]),
            new HashSet<int> { 0, 1, 2, 3, 4, 6, 7, 8, 9 }));
        Console.WriteLine();
        Console.Write(ResultTable.Render(sizes.SelectMany(s => s.Phases)));
        Console.WriteLine();
        foreach (var line in MachineInfo.Describe(facts))
        {
            Console.WriteLine(line);
        }

        foreach (var s in sizes)
        {
            var (reads, ingest) = (s.Phases[0], s.Phases[1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rollup {s.Size} members: reads {reads.PerSecond:F0}/s p50 {reads.Latency.P50:F2} ms p95 {reads.Latency.P95:F2} ms p99 {reads.Latency.P99:F2} ms; "
                + $"freshness {s.Freshness.Describe()}; ingest {ingest.PerSecond:F0}/s p99 {ingest.Latency.P99:F2} ms; import {s.Import.TotalSeconds:F1} s; "
                + $"state {s.StateBytes / 1024.0:F0} KB written {s.CommunityWritesPerSecond:F2}/s{(s.Ok ? "" : "; FAILURES, see above")}"));
        }
    }

    private sealed record Settings(int[] Sizes, int Seconds, int ReadConcurrency, int IngestConcurrency, double EventShare, int Samples);

    private sealed record Freshness(int Samples, int FirstRead, int Missing, double MedianMs, double MaxMs)
    {
        public string Describe() => FormattableString.Invariant(
            $"{FirstRead}/{Samples} reflected at the first read after the acknowledgement, median {MedianMs:F2} ms, max {MaxMs:F2} ms")
            + (Missing > 0 ? $", {Missing} NOT reflected within 10 s" : "");
    }

    private sealed record SizeResult(int Size, string Label, TimeSpan Import, DriveResult Seeding, long StateBytes, int AnswerBytes, List<PhaseResult> Phases,
        Freshness Freshness, double CommunityWritesPerSecond, TimeSpan Total, bool Ok);
}

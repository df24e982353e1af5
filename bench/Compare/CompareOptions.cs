using System.Globalization;
using Microsoft.Extensions.Configuration;
using ProgressGrains.Bench.Baseline;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Compare;

/// <summary>The options of <c>compare</c>; see <see cref="Usage"/>.</summary>
public sealed record CompareOptions
{
    public const string Usage = """
        usage: compare [--seconds N] [--warmup N] [--jit-warmup N] [--members M] [--communities C] [--concurrency K]
                       [--mix lesson=40,checkin=40,quiz=20] [--json | --no-json] [--no-reads] [--baseline-pool N] [--keep]
                       [--systems baseline,engine,engine-per-event] [--season-not-started]
                       [--ConnectionStrings:Progress=CONNECTION]
          --seconds       measured seconds per phase (default 15), after --warmup seconds not counted (default 3)
          --jit-warmup    seconds of gRPC ingest each system gets first, reported apart and left out of the
                          ratios (default 20; 0 skips it): .NET compiles hot code again, optimised, only
                          after it ran a while, and the first 15 s of load cost 2-3 times more CPU per event
          --members       members enrolled in each system (default 10000)
          --communities   communities they are spread over, 1..5 (default 5: the engine's demo communities)
          --concurrency   simulated clients in a closed loop (default 64)
          --no-json       skip the JSON ingest phases (gRPC is the headline; JSON runs by default)
          --no-reads      skip the read phases (diagnostic: quicker ingest-only runs; no ingest / read ratio)
          --systems       which runs to make (default all three; the ratios need baseline and engine)
          --season-not-started  the season starts tomorrow, so no member is behind pace (diagnostic: the
                          engine then keeps no outreach cases; the default is a season 90 days under way)
          --keep          leave the PostgreSQL server, the databases and the logs in place
          ConnectionStrings:Progress (argument, or environment ConnectionStrings__Progress): use that server
                          instead of starting a throwaway one; databases are still created and dropped
        """;

    public int Seconds { get; init; } = 15;

    public int WarmupSeconds { get; init; } = 3;

    /// <summary>
    /// 20 s of ingest before anything is measured. Tiered compilation runs new code unoptimised
    /// first and recompiles it (with profile-guided optimisation) after it was called often
    /// enough; under full load that took longer than the 3 s warm-up of a phase. Measured: the
    /// first ingest phase cost the engine 0.63 ms of CPU per event, the same phase run again
    /// 0.21 ms; with tiered compilation off both cost 0.50-0.56 ms (docs/benchmarks.md).
    /// </summary>
    public int JitWarmupSeconds { get; init; } = 20;

    /// <summary>
    /// 10,000: a subdistrict's members (thousands of party members over its communities), far more
    /// than the callers, so concurrent events rarely hit the same member and the engine holds many
    /// grains at once, as in production.
    /// </summary>
    public int Members { get; init; } = 10_000;

    /// <summary>All five demo communities: the engine offers no others (see BenchRoster).</summary>
    public int Communities { get; init; } = 5;

    /// <summary>
    /// 64 callers: enough to keep both systems saturated on 2 cores (a closed loop measures
    /// capacity only when the server, not the client count, is the limit), and twice the baseline's
    /// pool so its transactions queue briefly rather than wait on the clients.
    /// </summary>
    public int Concurrency { get; init; } = 64;

    public EventMix Mix { get; init; } = EventMix.Default;

    public bool Json { get; init; } = true;

    public bool Keep { get; init; }

    /// <summary>Whether the read phases run (the ingest / read ratio needs them).</summary>
    public bool Reads { get; init; } = true;

    public int BaselinePool { get; init; } = BaselineServer.DefaultMaxPoolSize;

    public string? ConnectionString { get; init; }

    public static readonly IReadOnlyList<string> AllSystems = ["baseline", "engine", "engine-per-event"];

    public IReadOnlyList<string> Systems { get; init; } = AllSystems;

    public bool SeasonNotStarted { get; init; }

    public LoadSettings Load => new(Concurrency, TimeSpan.FromSeconds(WarmupSeconds), TimeSpan.FromSeconds(Seconds));

    public static CompareOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CompareOptions();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value");
            int Number(int min, int max) =>
                int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new FormatException($"{arg} takes a whole number from {min} to {max}");
            options = arg switch
            {
                "--seconds" => options with { Seconds = Number(1, 3600) },
                "--warmup" => options with { WarmupSeconds = Number(0, 600) },
                "--jit-warmup" => options with { JitWarmupSeconds = Number(0, 600) },
                "--members" => options with { Members = Number(1, 1_000_000) },
                "--communities" => options with { Communities = Number(1, 5) },
                "--concurrency" => options with { Concurrency = Number(1, 10_000) },
                "--mix" => options with { Mix = EventMix.Parse(Value()) },
                "--json" => options with { Json = true },
                "--no-json" => options with { Json = false },
                "--keep" => options with { Keep = true },
                "--no-reads" => options with { Reads = false },
                "--season-not-started" => options with { SeasonNotStarted = true },
                "--systems" => options with { Systems = ParseSystems(Value()) },
                "--baseline-pool" => options with { BaselinePool = Number(1, 250) },
                _ when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal)
                    => Setting(options, settings, arg[2..]),
                _ => throw new FormatException($"unknown option '{arg}'"),
            };
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
        return options with { ConnectionString = configuration.GetConnectionString("Progress") is { Length: > 0 } cs ? cs : null };
    }

    private static string[] ParseSystems(string text)
    {
        var systems = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return systems.Length > 0 && systems.All(AllSystems.Contains) ? systems : throw new FormatException($"--systems takes some of {string.Join(",", AllSystems)}");
    }

    private static CompareOptions Setting(CompareOptions options, Dictionary<string, string?> settings, string pair)
    {
        var split = pair.IndexOf('=', StringComparison.Ordinal);
        settings[pair[..split]] = pair[(split + 1)..];
        return options;
    }
}

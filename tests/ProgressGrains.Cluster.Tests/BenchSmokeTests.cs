using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Cluster.Tests;

/// <summary>
/// The benchmark program keeps working: a very short <c>compare</c> on the test PostgreSQL runs the
/// baseline and the engine (group commit on and off), verifies that every acknowledged event is
/// stored exactly once in each, and prints the two ratios. Numbers from here mean nothing (debug
/// build, seconds of load, other tests running); docs/benchmarks.md has the measured ones.
/// </summary>
public sealed class BenchSmokeTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    private static string BenchAssembly =>
        typeof(BenchSmokeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchAssembly").Value!;

    [Fact]
    public async Task Compare_RunsBothSystems_VerifiesEveryAcknowledgedEvent_AndPrintsTheRatios()
    {
        var server = postgres.RequireServer();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { BenchAssembly, "compare", "--seconds", "2", "--warmup", "1", "--jit-warmup", "1", "--members", "300", "--no-json", $"--ConnectionStrings:Progress={server}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(limit.Token);
        var text = await output + await errors;

        Assert.True(process.ExitCode == 0, $"compare exited {process.ExitCode}:\n{text}");
        Assert.Contains("verification baseline: OK", text);
        Assert.Contains("verification engine: OK", text);
        Assert.Contains("verification engine, commit per event: OK", text);
        var ingest = Ratio(text, "ingest ratio vs baseline");
        var read = Ratio(text, "ingest / read ratio");
        Assert.True(ingest > 0 && read > 0, text);

        // The engine's CPU per event is metered from /proc over the measured window (Linux only).
        var cpu = Regex.Match(text, @"^  engine gRPC ingest: .*CPU ms per op: server ([0-9.]+), load generator ([0-9.]+)", RegexOptions.Multiline);
        Assert.True(cpu.Success, $"no CPU per operation on the engine's ingest line:\n{text}");
        Assert.True(double.Parse(cpu.Groups[1].Value, CultureInfo.InvariantCulture) > 0, cpu.Value);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH: smoke compare (debug build, 2 s phases, 300 members): ingest ratio vs baseline {ingest}, ingest / read ratio {read}"));
    }

    private static double Ratio(string output, string name)
    {
        var match = Regex.Match(output, "^" + Regex.Escape(name) + @": ([0-9.]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{name}: R' line in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

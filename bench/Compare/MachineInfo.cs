using System.Runtime.InteropServices;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Compare;

/// <summary>The machine the numbers were measured on, in one line each.</summary>
public static class MachineInfo
{
    public static IEnumerable<string> Describe(ServerFacts postgres)
    {
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? $", kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}" : "";
        // Others' builds and benchmarks share the machine: the load says how much the numbers can be trusted.
        var load = File.Exists("/proc/loadavg") ? $", load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (1/5/15 min, at the end)" : "";
        yield return $"machine: {Environment.ProcessorCount} cores, {os ?? RuntimeInformation.OSDescription}{kernel}, {RuntimeInformation.FrameworkDescription}{load}";
        yield return $"postgresql: {postgres.Version}, fsync={postgres.Fsync}, synchronous_commit={postgres.SynchronousCommit}, max_connections={postgres.MaxConnections}";
    }
}

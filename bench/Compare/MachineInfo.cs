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
        yield return $"machine: {Environment.ProcessorCount} cores, {os ?? RuntimeInformation.OSDescription} ({RuntimeInformation.OSDescription}), {RuntimeInformation.FrameworkDescription}";
        yield return $"postgresql: {postgres.Version}, fsync={postgres.Fsync}, synchronous_commit={postgres.SynchronousCommit}, max_connections={postgres.MaxConnections}";
    }
}

using System.Globalization;

namespace ProgressGrains.Bench.Harness;

/// <summary>A process's memory as the kernel counts it (Linux: <c>/proc/PID/status</c>).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS in bytes: the pages the process has in memory now (shared libraries included).</summary>
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS (not Linux, or the process is gone).");
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
    }
}

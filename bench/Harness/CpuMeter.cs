using System.Diagnostics;
using System.Globalization;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// CPU time (user + system) used so far by a set of processes, read from <c>/proc</c>. On a machine
/// as noisy as a shared 2-core box, CPU milliseconds per operation move far less from run to run
/// than operations per second, so the compare run reports both.
/// </summary>
public sealed class CpuMeter(string name, Func<IEnumerable<int>> processes)
{
    private static readonly double TicksPerSecond = ClockTicks();

    public string Name { get; } = name;

    /// <summary>Null where there is no <c>/proc</c> (the meters are Linux only).</summary>
    public static CpuMeter? ForProcess(string name, int processId) =>
        OperatingSystem.IsLinux() ? new CpuMeter(name, () => [processId]) : null;

    /// <summary>This process: the load generator.</summary>
    public static CpuMeter? ForThisProcess(string name) => ForProcess(name, Environment.ProcessId);

    /// <summary>A PostgreSQL server: its postmaster (from <c>postmaster.pid</c> in the data directory) and every backend it started.</summary>
    public static CpuMeter? ForPostgres(string name, string? dataDirectory)
    {
        var pidFile = dataDirectory is null ? null : Path.Combine(dataDirectory, "postmaster.pid");
        if (!OperatingSystem.IsLinux() || pidFile is null || !File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var postmaster))
        {
            return null;
        }

        return new CpuMeter(name, () => Children(postmaster).Prepend(postmaster));
    }

    /// <summary>The CPU time used so far by the processes alive now (a process that ended took its time with it).</summary>
    public TimeSpan Read()
    {
        long ticks = 0;
        foreach (var id in processes())
        {
            if (Stat(id) is { } fields)
            {
                // Fields 14 and 15 (utime, stime), counted from 1, in clock ticks.
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static IEnumerable<int> Children(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                && Stat(id) is { } fields && fields[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                yield return id;
            }
        }
    }

    /// <summary>The fields of <c>/proc/ID/stat</c> after the command name (which may hold spaces): state is [0], ppid [1].</summary>
    private static string[]? Stat(int id)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{id}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double ClockTicks()
    {
        // USER_HZ: 100 on every Linux this runs on; getconf confirms it where available.
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            var output = getconf?.StandardOutput.ReadToEnd().Trim();
            getconf?.WaitForExit();
            return double.TryParse(output, NumberStyles.Float, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return 100;
        }
    }
}

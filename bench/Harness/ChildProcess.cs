using System.Diagnostics;
using System.Net;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// A program run as its own process (<c>dotnet ASSEMBLY ARGS</c>), as a user would run it: its
/// output goes to a log file (and the last lines stay in memory for error messages); it counts as
/// started once <c>GET /health</c> answers 200. Stopped with SIGTERM, so it shuts down in order.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _log;

    private ChildProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
    }

    public string LogFile { get; }

    public int Id => _process.Id;

    /// <summary>The <see cref="Stopwatch.GetTimestamp"/> just before the process was started: what startup times count from.</summary>
    public long StartedTimestamp { get; private init; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the program wrote.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>Starts the program and waits until it is healthy; throws (with its last output) when it exits or takes too long.</summary>
    public static async Task<ChildProcess> StartAsync(string assembly, IEnumerable<string> args, string workingDirectory, Uri health, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Not inherited: a telemetry exporter in the environment would add work to one side only.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {assembly} did not start.");
        var child = new ChildProcess(process, Path.Combine(workingDirectory, $"{Path.GetFileNameWithoutExtension(assembly)}-{process.Id}.log"))
        {
            StartedTimestamp = started,
        };
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await child.WaitUntilHealthyAsync(health, limit, cancellationToken);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>SIGTERM, then SIGKILL when the program has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        // kill(1) rather than P/Invoke: the project stays free of unsafe code.
        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync(CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync(Uri health, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new ChildProcessFailedException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} exited with code {_process.ExitCode} while starting:{Environment.NewLine}{Tail}", Tail);
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            // Short: the startup benchmark reads the time to healthy off this loop.
            await Task.Delay(50, cancellationToken);
        }

        throw new ChildProcessFailedException($"{Path.GetFileName(_process.StartInfo.ArgumentList[0])} was not healthy within {limit.TotalSeconds:F0} s:{Environment.NewLine}{Tail}", Tail);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after disposal (the last lines of a killed program) is not needed.
            }
        }
    }
}

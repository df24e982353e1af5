using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ProgressGrains.Tests.Shared;

/// <summary>
/// A real program of the engine started as its own process on free loopback ports, as a user would
/// run it: the silo (SQLite under a data directory, the gateway co-hosted) or the stand-alone
/// gateway. Stopped gracefully (SIGTERM) or killed (SIGKILL).
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, string dataDirectory, int httpPort, int grpcPort, int orleansGatewayPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcBase = new Uri($"http://127.0.0.1:{grpcPort}");
        OrleansGatewayPort = orleansGatewayPort;
    }

    public string DataDirectory { get; }

    /// <summary>The port Orleans clients (the stand-alone gateway) connect to.</summary>
    public int OrleansGatewayPort { get; }

    public Uri HttpBase { get; }

    public Uri GrpcBase { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The silo program, built beside the test project (see the project's AssemblyMetadata).</summary>
    public static string SiloAssembly => Metadata("SiloAssembly");

    /// <summary>The stand-alone gateway program; the silo project builds it too.</summary>
    public static string GatewayAssembly => Path.Combine(Path.GetDirectoryName(SiloAssembly)!, "ProgressGrains.Gateway.dll");

    public static string NewDataDirectory() =>
        Directory.CreateTempSubdirectory("progressgrains-test-").FullName;

    /// <summary>
    /// Pass as an extra argument to start without the test signing key, so the embedded default
    /// creates and uses its development key (not passed on to the program).
    /// </summary>
    public const string UseDevelopmentKey = "--use-development-key";

    public static Task<SiloProcess> StartAsync(string dataDirectory, bool demo = false, params string[] extraArgs) =>
        StartAsync(dataDirectory, new Dictionary<string, string>(), demo, extraArgs);

    /// <summary>Starts the silo with more environment variables (e.g. OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, bool demo = false, params string[] extraArgs)
    {
        // Free ports are picked before the program binds them, so a test starting at the same time
        // can take one first: then start again on other ports.
        for (var attempt = 1; ; attempt++)
        {
            var (silo, gateway) = (FreePort(), FreePort());
            string[] args =
            [
                .. demo ? ["--demo"] : Array.Empty<string>(),
                .. extraArgs.Contains(UseDevelopmentKey) ? Array.Empty<string>() : [TestTokens.SigningKeyArgument],
                $"--Storage:DataDirectory={dataDirectory}",
                $"--Orleans:Endpoints:SiloPort={silo}",
                $"--Orleans:Endpoints:GatewayPort={gateway}",
                .. extraArgs.Where(a => a != UseDevelopmentKey),
            ];
            try
            {
                return await StartProgramAsync(SiloAssembly, dataDirectory, gateway, args, environment);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    /// <summary>The stand-alone gateway, an Orleans client of the silo listening on <paramref name="orleansGatewayPort"/>.</summary>
    public static Task<SiloProcess> StartGatewayAsync(int orleansGatewayPort, string workingDirectory, params string[] extraArgs) =>
        StartProgramAsync(GatewayAssembly, workingDirectory, orleansGatewayPort,
            [$"--Orleans:Endpoints:GatewayPort={orleansGatewayPort}", TestTokens.SigningKeyArgument, .. extraArgs]);

    private static async Task<SiloProcess> StartProgramAsync(string assembly, string workingDirectory, int orleansGatewayPort, string[] args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var (http, grpc) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(assembly);
        foreach (var arg in args.Concat([$"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}"]))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var handle = new SiloProcess(process, workingDirectory, http, grpc, orleansGatewayPort)
        {
            // Kept beside the data, so a failed test leaves the program's own account behind.
            LogFile = Path.Combine(workingDirectory, $"{Path.GetFileNameWithoutExtension(assembly)}-{process.Id}.log"),
        };
        process.OutputDataReceived += (_, e) => handle.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handle.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await handle.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        return handle;
    }

    /// <summary>Runs the silo program to completion (e.g. <c>migrate</c>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(SiloAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGTERM: the host shuts down in order, grains deactivate and flush.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    /// <summary>SIGKILL: nothing runs after this; only what was written survives.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The silo was not healthy within {limit}:\n{Output}");
    }

    /// <summary>Where the program's output is also written.</summary>
    public string? LogFile { get; private init; }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (LogFile is not null)
            {
                try
                {
                    File.AppendAllText(LogFile, line + Environment.NewLine);
                }
                catch (IOException)
                {
                    // The directory went away with its test; the output is still in memory.
                }
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}

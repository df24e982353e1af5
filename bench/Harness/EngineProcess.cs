using System.Globalization;
using System.Reflection;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// The engine as a user runs it: the silo program (gateway co-hosted) on PostgreSQL (or on its
/// embedded SQLite, for the startup benchmark), with the demo loaded (the only way its communities
/// get defined), logging at warnings, and rate limits raised so that they do not cap one load
/// generator on one address.
/// </summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private EngineProcess(ChildProcess process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcBase = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpBase { get; }

    public Uri GrpcBase { get; }

    public ChildProcess Process => _process;

    /// <summary>The silo program built beside the benchmark (the project's AssemblyMetadata "SiloAssembly").</summary>
    public static string SiloAssembly =>
        typeof(EngineProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloAssembly").Value!;

    /// <summary>Starts the engine on its own database; <c>groupCommit</c> is passed as <c>--Storage:GroupCommit:Enabled</c> (an engine without the setting ignores it).</summary>
    public static Task<EngineProcess> StartAsync(string connectionString, string signingKey, string workDirectory, bool groupCommit,
        IEnumerable<string> extraArgs, CancellationToken cancellationToken) =>
        StartWithAsync(
            [
                "--Storage:Provider=PostgreSQL",
                $"--ConnectionStrings:Progress={connectionString}",
                $"--Storage:DataDirectory={workDirectory}",
                $"--Storage:GroupCommit:Enabled={(groupCommit ? "true" : "false")}",
            ],
            extraArgs, signingKey, workDirectory, cancellationToken);

    /// <summary>
    /// Starts the embedded default: SQLite in <paramref name="dataDirectory"/> (no provider or
    /// connection string given, as a user runs it first). The signing key is still given, so the
    /// benchmark's tokens are valid; everything else is as on PostgreSQL.
    /// </summary>
    public static Task<EngineProcess> StartSqliteAsync(string dataDirectory, string signingKey, string workDirectory,
        IEnumerable<string> extraArgs, CancellationToken cancellationToken) =>
        StartWithAsync([$"--Storage:DataDirectory={dataDirectory}"], extraArgs, signingKey, workDirectory, cancellationToken);

    private static async Task<EngineProcess> StartWithAsync(string[] storageArgs, IEnumerable<string> extraArgs, string signingKey, string workDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(SiloAssembly))
        {
            throw new FileNotFoundException($"The silo program is not built: {SiloAssembly} (build the bench project in this configuration).");
        }

        for (var attempt = 1; ; attempt++)
        {
            var (http, grpc, silo, gateway) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
            string[] args =
            [
                "--demo",
                .. storageArgs,
                $"--Auth:SigningKeys:0={signingKey}",
                $"--Orleans:Endpoints:SiloPort={silo}",
                $"--Orleans:Endpoints:GatewayPort={gateway}",
                $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}",
                $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}",
                "--RateLimits:PerClientPerSecond=10000000",
                "--RateLimits:PerClientBurst=10000000",
                "--RateLimits:PerMemberPerSecond=100000",
                "--RateLimits:PerMemberBurst=100000",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
                "--Logging:LogLevel:Orleans=Warning",
                "--Logging:LogLevel:Microsoft.Orleans=Warning",
                .. extraArgs,
            ];
            try
            {
                var process = await ChildProcess.StartAsync(SiloAssembly, args, workDirectory,
                    new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{http}/health")), TimeSpan.FromMinutes(3), cancellationToken);
                return new EngineProcess(process, http, grpc);
            }
            catch (ChildProcessFailedException ex) when (ex.PortTaken && attempt < 3)
            {
                // Someone else took a port between choosing it and binding it: choose again.
            }
        }
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(60));

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

using System.Globalization;
using ProgressGrains.Bench.Baseline;

namespace ProgressGrains.Bench.Harness;

/// <summary>The baseline as its own process, like the engine: this program's <c>baseline-server</c> command.</summary>
public sealed class BaselineProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private BaselineProcess(ChildProcess process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcBase = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpBase { get; }

    public Uri GrpcBase { get; }

    public ChildProcess Process => _process;

    public static async Task<BaselineProcess> StartAsync(string connectionString, string signingKey, string workDirectory, int maxPoolSize, CancellationToken cancellationToken)
    {
        var assembly = typeof(BaselineServer).Assembly.Location;
        for (var attempt = 1; ; attempt++)
        {
            var (http, grpc) = (FreePort.Next(), FreePort.Next());
            string[] args =
            [
                "baseline-server",
                $"--ConnectionStrings:Baseline={connectionString}",
                $"--Auth:SigningKey={signingKey}",
                string.Create(CultureInfo.InvariantCulture, $"--Baseline:MaxPoolSize={maxPoolSize}"),
                $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}",
                "--Kestrel:Endpoints:Http:Protocols=Http1",
                $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}",
                "--Kestrel:Endpoints:Grpc:Protocols=Http2",
                "--Logging:LogLevel:Default=Warning",
            ];
            try
            {
                var process = await ChildProcess.StartAsync(assembly, args, workDirectory,
                    new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{http}/health")), TimeSpan.FromMinutes(1), cancellationToken);
                return new BaselineProcess(process, http, grpc);
            }
            catch (ChildProcessFailedException ex) when (ex.PortTaken && attempt < 3)
            {
                // Someone else took a port between choosing it and binding it: choose again.
            }
        }
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

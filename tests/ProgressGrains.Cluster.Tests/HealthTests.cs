using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Cluster.Tests;

/// <summary>Readiness follows the store: unready while PostgreSQL is down, ready again once it is back; liveness stays up.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_TurnsUnreadyWhenPostgresStops_AndReadyWhenItIsBack()
    {
        using var directory = new TempDirectory();
        await using var database = await PrivatePostgres.StartAsync();
        await using var silo = await SiloProcess.StartAsync(directory.Path, false,
            "--Storage:Provider=PostgreSQL", $"--ConnectionStrings:Progress={database.ConnectionString}");
        using var http = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        using var channel = GrpcChannel.ForAddress(silo.GrpcBase);
        var grpcHealth = new Health.HealthClient(channel);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);

        await database.StopAsync();
        var stopped = Stopwatch.StartNew();
        var unreadyAfter = await WaitFor(http, "/health", HttpStatusCode.ServiceUnavailable);
        var alive = (await http.GetAsync("/alive")).StatusCode;
        var grpcWhileDown = (await grpcHealth.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30))).Status;

        await database.RestartAsync();
        var readyAfter = await WaitFor(http, "/health", HttpStatusCode.OK);
        var grpcAfter = (await grpcHealth.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30))).Status;

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HEALTH: PostgreSQL stopped: /health unready after {unreadyAfter.TotalSeconds:F1} s (/alive {(int)alive}); restarted: ready again after {readyAfter.TotalSeconds:F1} s"));
        Assert.Equal(HttpStatusCode.OK, alive);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, grpcWhileDown);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, grpcAfter);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(90));
    }

    private static async Task<TimeSpan> WaitFor(HttpClient http, string path, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode == expected)
            {
                return clock.Elapsed;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not answer {(int)expected} within 40 s.");
    }
}

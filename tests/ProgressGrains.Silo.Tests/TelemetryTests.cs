using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpenTelemetry.Trace;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>Traces through the silo program (in this process, with the in-memory exporter), and OTLP export to a collector.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task OneJsonRequest_IsOneTrace_FromTheGatewayThroughTheGrainCallToTheStorageWrite()
    {
        using var directory = new TempDirectory();
        var spans = new List<Activity>();
        var http = SiloProcess.FreePort();
        using var stop = new CancellationTokenSource();
        string[] args =
        [
            "--demo", $"--Storage:DataDirectory={directory.Path}", "--Telemetry:Tracing=true", TestTokens.SigningKeyArgument,
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{SiloProcess.FreePort()}",
            $"--Orleans:Endpoints:SiloPort={SiloProcess.FreePort()}", $"--Orleans:Endpoints:GatewayPort={SiloProcess.FreePort()}",
        ];
        var silo = Task.Run(() => SiloProgram.RunAsync(args,
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)), stop.Token));
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthy(client, silo);
            const string path = "/v1/members/heyun-0012/checkins";
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("member", member: "heyun-0012")) },
                Content = JsonContent.Create(new { eventId = Guid.NewGuid(), siteId = "haitang-yijiao", occurredAt = "2024-01-20T02:00:00Z" }),
            };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Spans are exported as they end; the request's own span ends last.
            Activity[] trace = [];
            Activity? server = null;
            for (var attempt = 0; attempt < 50 && (server is null || !trace.Any(IsStorageWrite)); attempt++)
            {
                await Task.Delay(100);
                Activity[] all;
                lock (spans)
                {
                    all = [.. spans];
                }

                server = all.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == path);
                trace = server is null ? [] : [.. all.Where(s => s.TraceId == server.TraceId)];
            }

            Assert.NotNull(server);
            var bySpan = trace.ToDictionary(s => s.SpanId);
            var grainCall = trace.FirstOrDefault(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                && s.DisplayName.Contains("MemberGrain", StringComparison.Ordinal) && s.DisplayName.Contains("CheckIn", StringComparison.Ordinal));
            var write = trace.FirstOrDefault(IsStorageWrite);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TELEMETRY: one POST {path}: trace {server.TraceId} has {trace.Length} spans: {string.Join(" | ", trace.OrderBy(s => s.StartTimeUtc).Select(s => $"{s.Source.Name}: {s.DisplayName}"))}"));
            Assert.NotNull(grainCall);
            Assert.NotNull(write);
            Assert.Contains(server, Ancestors(write, bySpan));
            Assert.Contains(grainCall, Ancestors(write, bySpan));
        }
        finally
        {
            await stop.CancelAsync();
            await silo;
        }
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TracesMetricsAndLogsAreExported()
    {
        using var directory = new TempDirectory();
        using var collector = new HttpListener();
        var port = SiloProcess.FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentDictionary<string, int>();
        var listening = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                try
                {
                    var context = await collector.GetContextAsync();
                    received.AddOrUpdate($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.ContentType}", 1, (_, n) => n + 1);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        };
        await using (var silo = await SiloProcess.StartAsync(directory.Path, environment))
        {
            using var client = TestIdentityHandler.Client(silo.HttpBase);
            await client.GetAsync("/v1/seasons/current");
            for (var attempt = 0; attempt < 100 && !Seen(received, "/v1/traces", "/v1/metrics", "/v1/logs"); attempt++)
            {
                await Task.Delay(100);
            }
        }

        collector.Stop();
        await listening;
        TestContext.Current.TestOutputHelper?.WriteLine($"TELEMETRY: OTLP collector received {string.Join(", ", received.Select(r => $"{r.Key} ×{r.Value}"))}");
        Assert.True(Seen(received, "/v1/traces", "/v1/metrics", "/v1/logs"), string.Join(", ", received.Keys));
        Assert.All(received.Keys, key => Assert.Contains("application/x-protobuf", key));
    }

    private static bool Seen(ConcurrentDictionary<string, int> received, params string[] paths) =>
        paths.All(path => received.Keys.Any(k => k.StartsWith($"POST {path} ", StringComparison.Ordinal)));

    private static bool IsStorageWrite(Activity span) => span.Source.Name == "Microsoft.Orleans.Storage" && span.DisplayName.Contains("write", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> bySpan)
    {
        var current = span;
        while (current.ParentSpanId != default && bySpan.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }

    private static async Task WaitUntilHealthy(HttpClient client, Task silo)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (silo.IsCompleted)
            {
                throw new InvalidOperationException($"The silo stopped: exit code {await (Task<int>)silo}.");
            }

            try
            {
                using var health = await client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The silo did not become healthy in 60 s.");
    }
}

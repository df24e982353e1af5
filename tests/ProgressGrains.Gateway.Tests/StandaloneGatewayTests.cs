using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>The gateway as its own process, an Orleans client of a silo that goes away and comes back.</summary>
public sealed class StandaloneGatewayTests
{
    [Fact]
    public async Task WhenTheSiloIsKilled_CallsAreUnavailable_AndServedAgainOnceItIsBack()
    {
        var data = SiloProcess.NewDataDirectory();
        try
        {
            var silo = await SiloProcess.StartAsync(data, demo: true);
            await using var gateway = await SiloProcess.StartGatewayAsync(silo.OrleansGatewayPort, data);
            using var http = TestIdentityHandler.Client(gateway.HttpBase);
            using var channel = GrpcChannel.ForAddress(gateway.GrpcBase);
            var members = new MemberService.MemberServiceClient(TestIdentityInterceptor.Wrap(channel));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/members/wenhua-0001/progress")).StatusCode);

            await silo.KillAsync();
            await silo.DisposeAsync();

            using (var json = await http.GetAsync("/v1/members/wenhua-0001/progress"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, json.StatusCode);
                Assert.Contains("retry", await json.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            }

            var error = await Assert.ThrowsAsync<RpcException>(() => members.CompleteLessonAsync(
                new CompleteLessonRequest { MemberId = "wenhua-0001", LessonId = "first-lesson", EventId = Guid.NewGuid().ToString() },
                deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health")).StatusCode);

            // The same ports again: the gateway reconnects by itself.
            await using var again = await SiloProcess.StartAsync(data, demo: false, $"--Orleans:Endpoints:GatewayPort={silo.OrleansGatewayPort}");
            var served = false;
            for (var attempt = 0; attempt < 60 && !served; attempt++)
            {
                served = (await http.GetAsync("/v1/members/wenhua-0001/progress")).StatusCode == HttpStatusCode.OK;
                if (!served)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(served, "the stand-alone gateway did not reach the restarted silo within 30 s:\n" + gateway.Output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

using System.Net;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>Request limits per member, on a silo started with small ones.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ManyRequestsAboutOneMember_AreLimitedWithResourceExhausted_AndOthersAreNot()
    {
        using var directory = new TempDirectory();
        await using var silo = await SiloProcess.StartAsync(directory.Path, false,
            "--RateLimits:PerMemberBurst=5", "--RateLimits:PerMemberPerSecond=1");
        using var http = TestIdentityHandler.Client(silo.HttpBase);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.GetAsync("/v1/members/hot-member/progress")));
        using var other = await http.GetAsync("/v1/members/calm-member/progress");

        var limited = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.InRange(limited, 10, 15); // a burst of 5, plus a token a second refilled meanwhile
        Assert.Contains("hot-member", await responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode); // not enrolled, but not limited
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

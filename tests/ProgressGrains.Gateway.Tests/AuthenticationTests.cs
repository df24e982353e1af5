using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>Tokens: what is refused and why, who acted, the WeChat development sign-in, operator-only reflection.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed class AuthenticationTests(DemoSiloFixture fixture) : IDisposable
{
    private readonly HttpClient _bare = new() { BaseAddress = fixture.Silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _bare.Dispose();

    [Fact]
    public async Task WithoutAToken_EveryApiCallIsUnauthenticated_AndSaysHowToGetOne()
    {
        using var json = await _bare.GetAsync("/v1/seasons/current");
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new SeasonService.SeasonServiceClient(fixture.Channel)
            .GetSeasonAsync(new GetSeasonRequest { SeasonId = "current" }).ResponseAsync);

        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        Assert.Contains("Bearer", json.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Authorization: Bearer <token>", await json.Content.ReadAsStringAsync());
        Assert.Equal(StatusCode.Unauthenticated, grpc.StatusCode);
        Assert.Contains("dotnet run --project Silo -- token", grpc.Status.Detail);
    }

    public static TheoryData<string, string, string> BadTokens() => new()
    {
        { "expired", $"Bearer {TestTokens.Mint([("sub", "wenhua-0001"), ("role", "member"), ("member_id", "wenhua-0001")], TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow.AddHours(-1))}", "expired" },
        { "another key", $"Bearer {TestTokens.Mint([("sub", "wenhua-0001"), ("role", "member"), ("member_id", "wenhua-0001")], key: Convert.ToBase64String(new byte[32]))}", "not signed with this deployment's key" },
        { "another audience", $"Bearer {TestTokens.Mint([("sub", "wenhua-0001"), ("role", "member"), ("member_id", "wenhua-0001")], audience: "someone-else")}", "issued for another service" },
        { "another issuer", $"Bearer {TestTokens.Mint([("sub", "wenhua-0001"), ("role", "member"), ("member_id", "wenhua-0001")], issuer: "someone-else")}", "issued for another service" },
        { "unsigned (alg none)", $"Bearer {Unsigned()}", "token" },
        { "no subject", $"Bearer {TestTokens.Mint([("role", "member"), ("member_id", "wenhua-0001")])}", "subject" },
        { "not a JWT", "Bearer not-a-token", "well-formed" },
        { "not a bearer", "Basic d2VuaHVhOnNlY3JldA==", "Bearer <token>" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadToken_IsRefusedWith401_SayingWhy(string what, string header, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/members/wenhua-0001/progress");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await _bare.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Contains(reason, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WhoActed_IsTakenFromTheToken_AndAnotherNameIsRefused()
    {
        var season = await fixture.GetJson("/v1/seasons/current");
        var progress = await fixture.GetJson("/v1/members/heyun-0007/progress");
        var done = progress.GetProperty("completedLessons").EnumerateArray().Select(l => l.GetString()).ToHashSet();
        var lesson = season.GetProperty("season").GetProperty("lessons").EnumerateArray()
            .Select(l => l.GetProperty("lessonId").GetString()!).First(l => !done.Contains(l));
        var admin = TestTokens.For("community_admin", community: "heyun");
        var occurredAt = season.GetProperty("season").GetProperty("startsAt").GetDateTimeOffset().AddDays(3);

        using var impostor = await Post(admin, $"/v1/members/heyun-0007/lessons/{lesson}/complete",
            new { eventId = Guid.NewGuid(), channel = "CHANNEL_IN_PERSON", deliveredBy = "someone-else", occurredAt });
        using var recorded = await Post(admin, $"/v1/members/heyun-0007/lessons/{lesson}/complete",
            new { eventId = Guid.NewGuid(), channel = "CHANNEL_IN_PERSON", occurredAt });
        var after = await fixture.GetJson("/v1/members/heyun-0007/progress");

        Assert.Equal(HttpStatusCode.Forbidden, impostor.StatusCode);
        Assert.Contains("delivered_by", await impostor.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var entry = after.GetProperty("lessons").EnumerateArray().Single(l => l.GetProperty("lessonId").GetString() == lesson);
        Assert.Equal("heyun-community_admin", entry.GetProperty("deliveredBy").GetString());
    }

    [Fact]
    public async Task DevelopmentWeChatSignIn_GivesAMemberTokenForOwnRecordsOnly()
    {
        using var signIn = await _bare.PostAsJsonAsync("/v1/auth/wechat", new { code = "demo-lianfeng-0005" });
        var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement;
        var token = body.GetProperty("accessToken").GetString()!;

        using var own = await Get(token, "/v1/members/lianfeng-0005/progress");
        using var other = await Get(token, "/v1/members/lianfeng-0006/progress");
        using var me = await Get(token, "/v1/auth/me");
        using var stranger = await _bare.PostAsJsonAsync("/v1/auth/wechat", new { code = "oNotOnAnyRoster" });
        using var empty = await _bare.PostAsJsonAsync("/v1/auth/wechat", new { code = "" });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("lianfeng-0005", body.GetProperty("caller").GetProperty("memberId").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var identity = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["member"], identity.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("roster", await stranger.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Reflection_IsForOperatorsOnly()
    {
        async Task<(StatusCode Code, IReadOnlyList<string> Services)> ListServices(string? token)
        {
            var headers = token is null ? new Metadata() : new Metadata { { "authorization", $"Bearer {token}" } };
            using var call = new ServerReflection.ServerReflectionClient(fixture.Channel).ServerReflectionInfo(headers, DateTime.UtcNow.AddSeconds(30));
            try
            {
                await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
                await call.RequestStream.CompleteAsync();
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                return (StatusCode.OK, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList());
            }
            catch (RpcException ex)
            {
                // A refusal can arrive while the request is still being written (the write then
                // reports Cancelled); the call's own status is the server's answer.
                try
                {
                    await call.ResponseHeadersAsync;
                }
                catch (RpcException answer)
                {
                    return (answer.StatusCode, []);
                }

                return (ex.StatusCode, []);
            }
        }

        // The client can see its own stream reset (Cancelled) before the server's refusal; that
        // race is the client's, so such a call is made again (the server's answer is the same).
        async Task<(StatusCode Code, IReadOnlyList<string> Services)> Answer(string? token)
        {
            var answer = await ListServices(token);
            for (var attempt = 1; attempt < 5 && answer.Code == StatusCode.Cancelled; attempt++)
            {
                answer = await ListServices(token);
            }

            return answer;
        }

        var anonymous = await Answer(null);
        var member = await Answer(TestTokens.For("member", member: "wenhua-0001"));
        var @operator = await Answer(TestTokens.For("operator"));

        Assert.Equal(StatusCode.Unauthenticated, anonymous.Code);
        Assert.Equal(StatusCode.PermissionDenied, member.Code);
        Assert.Equal(StatusCode.OK, @operator.Code);
        Assert.Contains("progress.v1.MemberService", @operator.Services);
    }

    private Task<HttpResponseMessage> Get(string token, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        return _bare.SendAsync(request);
    }

    private Task<HttpResponseMessage> Post(string token, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            Content = JsonContent.Create(body),
        };
        return _bare.SendAsync(request);
    }

    /// <summary>A JWT with <c>alg: none</c> and no signature, claiming to be an operator.</summary>
    private static string Unsigned()
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"sub":"x","role":"operator","iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","exp":{{exp}}}""")}.";
    }
}

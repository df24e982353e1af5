using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Gateway.Tests;

/// <summary>
/// Thousands of malformed, oversized, wrong-typed, boundary and injection-shaped requests over JSON
/// and gRPC: none may be answered with 500/Internal, the process stays up, and nothing changes.
/// </summary>
[Collection(DemoSiloCollection.Name)]
public sealed class HostileInputTests(DemoSiloFixture fixture)
{
    private static readonly string[] HostileIds =
    [
        "", " ", "%20", "x'%3B%20DROP%20TABLE%20OrleansStorage%3B--", "..%2F..%2Fetc%2Fpasswd", "%00", "%E6%96%87%E5%8D%8E",
        new string('a', 65), new string('9', 5000), "wenhua-0001%0D%0AX-Injected:%201", "<script>alert(1)</script>", "current", "-1", "null",
        "nobody-here",
    ];

    private static readonly string[] HostileBodies =
    [
        "", "{", "[]", "null", "\"text\"", "42", "{\"eventId\":123}", "{\"eventId\":[]}", "{\"eventId\":{\"a\":1}}",
        "{\"eventId\":\"00000000-0000-0000-0000-000000000000\"}", "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"score\":\"abc\"}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"score\":1e309,\"maxScore\":-5}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"hours\":\"NaN\"}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"occurredAt\":\"yesterday\"}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"occurredAt\":\"9999-12-31T23:59:59Z\"}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"channel\":\"CHANNEL_TELEPATHY\"}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"channel\":99}",
        "{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"text\":\"" + new string('长', 5000) + "\"}",
        "{\"flags\":[\"MEMBER_FLAG_ROOT\"]}", "{\"volunteers\":[{\"volunteerId\":\"\"}]}", "{\"decision\":7}",
        new string('[', 5000) + new string(']', 5000),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201),
    ];

    private static readonly string[] Routes =
    [
        "GET /v1/seasons/{id}", "PUT /v1/seasons/{id}", "GET /v1/members/{id}/progress", "GET /v1/members/{id}/ledger?page_token={id}",
        "POST /v1/members/{id}/lessons/{id}/complete", "POST /v1/members/{id}/checkins", "POST /v1/members/{id}/quizzes/{id}/attempts",
        "POST /v1/members/{id}/reflections", "POST /v1/members/{id}/reflections/{id}/moderate", "POST /v1/members/{id}/volunteering",
        "POST /v1/members/{id}/events/{id}/void", "POST /v1/members/{id}/flags", "GET /v1/communities/{id}/members?page_size={id}",
        "GET /v1/communities/{id}/rollup?season_id={id}", "GET /v1/communities/{id}/leaderboard?top={id}&member_id={id}",
        "GET /v1/communities/{id}/reflections?status={id}", "GET /v1/communities/{id}/at-risk?page_token={id}",
        "GET /v1/communities/{id}/volunteers", "POST /v1/communities/{id}/volunteers", "POST /v1/communities/{id}/outreach/{id}/assign",
        "GET /v1/communities/{id}/outreach/{id}", "GET /v1/volunteers/{id}/assignments", "GET /v1/subdistricts/{id}/rollup",
        "GET /v1/subdistricts/{id}/leaderboard?member_id={id}", "DELETE /v1/members/{id}/progress",
    ];

    [Fact]
    public async Task ThousandsOfHostileJsonRequests_GetClientErrors_AndChangeNothing()
    {
        var before = await Snapshot();
        var random = new Random(20261130);
        var statuses = new Dictionary<int, int>();
        var requests = 0;
        for (var i = 0; i < 2500; i++)
        {
            var (method, template) = Split(Routes[random.Next(Routes.Length)]);
            var path = string.Join("", template.Split("{id}").Select((part, n) => n == 0 ? part : HostileIds[random.Next(HostileIds.Length)] + part));
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent(HostileBodies[random.Next(HostileBodies.Length)], Encoding.UTF8,
                    random.Next(4) == 0 ? "text/plain" : "application/json");
            }

            using var response = await fixture.Json.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            requests++;
            Assert.True(status < 500, $"{method} {path} answered {status}: {await response.Content.ReadAsStringAsync()}");
        }

        using (var oversized = new StringContent("{\"eventId\":\"3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13\",\"text\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"))
        using (var response = await fixture.Json.PostAsync("/v1/members/wenhua-0001/reflections", oversized))
        {
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest });
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"HOSTILE: {requests} JSON requests, statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.Equal(before, await Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Json.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task HostileGrpcRequests_GetStatusCodes_NeverInternalOrUnknown()
    {
        var before = await Snapshot();
        var members = new MemberService.MemberServiceClient(fixture.Grpc);
        var communities = new CommunityService.CommunityServiceClient(fixture.Grpc);
        var random = new Random(7);
        var codes = new Dictionary<StatusCode, int>();
        string[] ids = [.. HostileIds.Select(Uri.UnescapeDataString), "\0", "💥", new string('x', 100_000)];
        for (var i = 0; i < 600; i++)
        {
            var id = ids[random.Next(ids.Length)];
            var other = ids[random.Next(ids.Length)];
            Task call = (i % 6) switch
            {
                0 => members.CompleteLessonAsync(new CompleteLessonRequest { MemberId = id, LessonId = other, EventId = other, Channel = (Channel)random.Next(-5, 10) }, deadline: Deadline()).ResponseAsync,
                1 => members.RecordQuizAttemptAsync(new RecordQuizAttemptRequest { MemberId = id, QuizId = other, EventId = Guid.NewGuid().ToString(), Score = random.Next(int.MinValue, int.MaxValue), MaxScore = random.Next(-2, 2) }, deadline: Deadline()).ResponseAsync,
                2 => members.RecordVolunteeringAsync(new RecordVolunteeringRequest { MemberId = id, EventId = Guid.NewGuid().ToString(), Activity = other, Hours = new[] { double.NaN, double.PositiveInfinity, -1, 0, 1e300 }[random.Next(5)] }, deadline: Deadline()).ResponseAsync,
                3 => members.VoidEventAsync(new VoidEventRequest { MemberId = id, EventId = other, Reason = other }, deadline: Deadline()).ResponseAsync,
                4 => communities.GetCommunityLeaderboardAsync(new GetLeaderboardRequest { ScopeId = id, Top = random.Next(int.MinValue, int.MaxValue), MemberId = other }, deadline: Deadline()).ResponseAsync,
                _ => communities.AssignOutreachAsync(new AssignOutreachRequest { CommunityId = id, MemberId = other, VolunteerId = id }, deadline: Deadline()).ResponseAsync,
            };
            try
            {
                await call;
                codes[StatusCode.OK] = codes.GetValueOrDefault(StatusCode.OK) + 1;
            }
            catch (RpcException ex)
            {
                codes[ex.StatusCode] = codes.GetValueOrDefault(ex.StatusCode) + 1;
                Assert.False(ex.StatusCode is StatusCode.Internal or StatusCode.Unknown, $"call {i} answered {ex.Status}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"HOSTILE: 600 gRPC calls, codes {string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}"))}");
        Assert.Equal(before, await Snapshot());
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);

    private static (string Method, string Path) Split(string route) => (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    /// <summary>The numbers that any change would move.</summary>
    private async Task<string> Snapshot()
    {
        var rollup = await fixture.GetJson("/v1/subdistricts/xietang/rollup");
        return string.Join(",", new[] { "enrolledMembers", "completedMembers", "totalPoints", "totalCheckIns", "totalLessonCompletions" }
            .Select(f => rollup.TryGetProperty(f, out var v) ? v.GetRawText() : "0"))
            + "|" + rollup.GetProperty("coverage").GetRawText();
    }
}

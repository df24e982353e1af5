using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Gateway.Tests;

/// <summary>Every activity kind, moderation, voids, leaderboards, the subdistrict and season files, over JSON and gRPC.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed class ProgrammeApiTests(DemoSiloFixture fixture)
{
    private static string NewId() => Guid.NewGuid().ToString();

    private static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : 0;

    [Fact]
    public async Task QuizVolunteeringReflectionAndVoid_OverJson_AreIdempotent_AndTheLedgerExplainsThePoints()
    {
        var member = await MemberWithoutReflections("jinyan");
        var before = Int(await fixture.GetJson($"/v1/members/{member}/progress"), "points");
        var quizEvent = NewId();

        var quiz = await fixture.PostJson($"/v1/members/{member}/quizzes/law-quiz/attempts", new { eventId = quizEvent, score = 10, maxScore = 10 });
        var quizAgain = await fixture.PostJson($"/v1/members/{member}/quizzes/law-quiz/attempts", new { eventId = quizEvent, score = 10, maxScore = 10 });
        var volunteer = await fixture.PostJson($"/v1/members/{member}/volunteering", new { eventId = NewId(), activity = "垃圾分类宣传", hours = 1.5 });
        var tooLong = await fixture.PostJson($"/v1/members/{member}/volunteering", new { eventId = NewId(), activity = "安全巡查", hours = 30 });
        var reflectionId = NewId();
        var reflection = await fixture.PostJson($"/v1/members/{member}/reflections", new { eventId = reflectionId, text = "评弹党课把冬训元素融入评弹，生动有趣，很受教育。" });
        var tooShort = await fixture.PostJson($"/v1/members/{member}/reflections", new { eventId = NewId(), text = "好" });
        var pending = await fixture.GetJson("/v1/communities/jinyan/reflections?status=REFLECTION_STATUS_PENDING&page_size=1000");
        var feature = await fixture.PostJson($"/v1/members/{member}/reflections/{reflectionId}/moderate",
            new { eventId = NewId(), decision = "MODERATION_DECISION_FEATURE", moderatorId = "jinyan-admin" });
        var featured = await fixture.GetJson("/v1/communities/jinyan/reflections?status=REFLECTION_STATUS_FEATURED&page_size=1000");

        Assert.Equal(200, quiz.Status);
        Assert.True(quizAgain.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(Int(quiz.Body, "totalPoints"), Int(quizAgain.Body, "totalPoints"));
        Assert.Equal(200, volunteer.Status);
        Assert.Equal((400, "hours"), (tooLong.Status, tooLong.Body.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString()));
        Assert.Equal(0, Int(reflection.Body, "pointsAwarded"));
        Assert.Equal(400, tooShort.Status);
        Assert.Contains(pending.GetProperty("reflections").EnumerateArray(), r => r.GetProperty("reflectionId").GetString() == reflectionId);
        Assert.Equal(8, Int(feature.Body, "pointsAwarded")); // demo rules: approval 3 + featured 5
        Assert.Contains(featured.GetProperty("reflections").EnumerateArray(), r => r.GetProperty("reflectionId").GetString() == reflectionId);

        var progress = await fixture.GetJson($"/v1/members/{member}/progress");
        var ledger = await fixture.GetJson($"/v1/members/{member}/ledger?page_size=1000");
        var entries = ledger.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(Int(progress, "points"), entries.Sum(e => Int(e, "points")));
        Assert.True(Int(progress, "points") > before);

        var voided = await fixture.PostJson($"/v1/members/{member}/events/{quizEvent}/void", new { reason = "answers were shared", actorId = "jinyan-admin" });
        var voidedAgain = await fixture.PostJson($"/v1/members/{member}/events/{quizEvent}/void", new { reason = "answers were shared" });
        var unknown = await fixture.PostJson($"/v1/members/{member}/events/{NewId()}/void", new { reason = "no such event" });

        Assert.Equal(-Int(quiz.Body, "pointsAwarded"), Int(voided.Body, "pointsAwarded"));
        Assert.True(voidedAgain.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(404, unknown.Status);
        var after = await fixture.GetJson($"/v1/members/{member}/ledger?page_size=1000");
        Assert.Single(after.GetProperty("entries").EnumerateArray(), e => e.GetProperty("eventId").GetString() == quizEvent && Int(e, "points") < 0);
        Assert.Equal(Int(progress, "points") - Int(quiz.Body, "pointsAwarded"), Int(after, "points"));
    }

    private async Task<string> MemberWithoutReflections(string communityId)
    {
        for (var i = 1; i <= 60; i++)
        {
            var id = $"{communityId}-{i:D4}";
            if ((await fixture.GetJson($"/v1/members/{id}/progress")).GetProperty("reflections").GetArrayLength() == 0)
            {
                return id;
            }
        }

        throw new InvalidOperationException($"every member of {communityId} wrote a reflection");
    }

    [Fact]
    public async Task Leaderboards_AndSubdistrictRollup_MatchARecountOfTheCommunities()
    {
        var rollup = await fixture.GetJson("/v1/subdistricts/xietang/rollup");
        var communities = rollup.GetProperty("communities").EnumerateArray().ToArray();
        var communityRollups = new List<JsonElement>();
        foreach (var c in communities)
        {
            communityRollups.Add(await fixture.GetJson($"/v1/communities/{c.GetProperty("communityId").GetString()}/rollup"));
        }

        Assert.Equal(5, communities.Length);
        Assert.Equal(communityRollups.Sum(r => r.GetProperty("totalPoints").GetInt64()), rollup.GetProperty("totalPoints").GetInt64());
        Assert.Equal(communityRollups.Sum(r => Int(r, "enrolledMembers")), Int(rollup, "enrolledMembers"));
        var rates = communities.Select(c => c.TryGetProperty("completionRate", out var r) ? r.GetDouble() : 0).ToArray();
        Assert.Equal(rates.OrderByDescending(r => r), rates);

        var roster = await fixture.GetJson("/v1/communities/heyun/members?page_size=1000");
        var board = await fixture.GetJson("/v1/communities/heyun/leaderboard?top=5&member_id=heyun-0060");
        var expected = roster.GetProperty("members").EnumerateArray()
            .Select(m => (Id: m.GetProperty("memberId").GetString()!, Points: Int(m, "points")))
            .OrderByDescending(m => m.Points).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Take(5).Select(m => m.Points), board.GetProperty("leaders").EnumerateArray().Select(l => Int(l, "points")));
        var own = board.GetProperty("member");
        Assert.Equal(1 + expected.Count(m => m.Points > Int(own, "points")), Int(own, "rank"));

        var top = await fixture.GetJson("/v1/subdistricts/xietang/leaderboard?top=3");
        var best = communityRollups.Count == 0 ? 0 : (await Task.WhenAll(communities.Select(c =>
            fixture.GetJson($"/v1/communities/{c.GetProperty("communityId").GetString()}/leaderboard?top=1")))).Max(b => Int(b.GetProperty("leaders")[0], "points"));
        Assert.Equal(best, Int(top.GetProperty("leaders")[0], "points"));
        Assert.Equal(300, Int(top, "rankedMembers"));
    }

    [Fact]
    public async Task SeasonFile_LoadsWithOneRequest_AndABadOneIsRefusedWithTheProblem()
    {
        var current = (await fixture.GetJson("/v1/seasons/current")).GetProperty("season");
        var file = JsonSerializer.Deserialize<Dictionary<string, object>>(current.GetRawText())!;
        file["seasonId"] = "2024-2025";
        file["name"] = "2024—2025年度基层党员冬训";
        file.Remove("current");
        file.Remove("requiredLessons");

        using var put = await fixture.Json.PutAsJsonAsync("/v1/seasons/2024-2025", file);
        var stored = await fixture.GetJson("/v1/seasons/2024-2025");
        var stillCurrent = await fixture.GetJson("/v1/seasons/current");

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(current.GetProperty("lessons").GetRawText(), stored.GetProperty("season").GetProperty("lessons").GetRawText());
        Assert.Equal(current.GetProperty("rules").GetRawText(), stored.GetProperty("season").GetProperty("rules").GetRawText());
        Assert.Equal("2023-2024", stillCurrent.GetProperty("season").GetProperty("seasonId").GetString());

        var lessons = JsonSerializer.Deserialize<List<Dictionary<string, object>>>(current.GetProperty("lessons").GetRawText())!;
        lessons[0]["topicId"] = "no-such-topic";
        file["lessons"] = lessons;
        using var bad = await fixture.Json.PutAsJsonAsync("/v1/seasons/2024-2025", file);
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("no-such-topic", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CheckIns_AreCappedPerDay_AsTheSeasonRulesSay()
    {
        var rules = (await fixture.GetJson("/v1/seasons/current")).GetProperty("season").GetProperty("rules");
        var cap = rules.GetProperty("dailyCaps").EnumerateArray().Single(c => c.GetProperty("activity").GetString() == "ACTIVITY_KIND_CHECK_IN").GetProperty("maxPoints").GetInt32();
        var yesterday = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(-1).AddHours(9), TimeSpan.FromHours(8));
        string[] sites = ["haitang-yijiao", "xietang-practice-centre", "dunhuang-practice-station", "xietang-service-centre"];

        var awarded = new List<int>();
        for (var i = 0; i < sites.Length; i++)
        {
            var (status, body) = await fixture.PostJson("/v1/members/dunhuang-0011/checkins",
                new { eventId = NewId(), siteId = sites[i], occurredAt = yesterday.AddMinutes(i).ToString("O") });
            Assert.Equal(200, status);
            Assert.True(body.GetProperty("counted").GetBoolean());
            awarded.Add(Int(body, "pointsAwarded"));
        }

        Assert.Equal(3, cap);
        Assert.Equal([1, 1, 1, 0], awarded);
        var ledger = await fixture.GetJson("/v1/members/dunhuang-0011/ledger?page_size=1000");
        Assert.Contains(ledger.GetProperty("entries").EnumerateArray(), e => e.GetProperty("reason").GetString()!.Contains("cap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReflectionAndModeration_OverGrpc()
    {
        var members = new MemberService.MemberServiceClient(fixture.Grpc);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var reflectionId = NewId();

        await members.SubmitReflectionAsync(new SubmitReflectionRequest { MemberId = "wenhua-0040", EventId = reflectionId, Text = "送学上门让老党员一个都不掉队。" }, deadline: deadline);
        var rejected = await members.ModerateReflectionAsync(new ModerateReflectionRequest
        {
            MemberId = "wenhua-0040", ReflectionId = reflectionId, EventId = NewId(), Decision = Api.V1.ModerationDecision.Reject, ModeratorId = "wenhua-admin",
        }, deadline: deadline);
        var featureRejected = await members.ModerateReflectionAsync(new ModerateReflectionRequest
        {
            MemberId = "wenhua-0040", ReflectionId = reflectionId, EventId = NewId(), Decision = Api.V1.ModerationDecision.Feature, ModeratorId = "wenhua-admin",
        }, deadline: deadline);
        var progress = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = "wenhua-0040" }, deadline: deadline);

        Assert.Equal(0, rejected.PointsAwarded);
        Assert.True(featureRejected.PointsAwarded > 0);
        Assert.Equal(Api.V1.ReflectionStatus.Featured, progress.Reflections.Single(r => r.ReflectionId == reflectionId).Status);
    }

    [Fact]
    public async Task QuizAndVolunteering_OverGrpc_WithRefusalsAsStatusCodes()
    {
        var members = new MemberService.MemberServiceClient(fixture.Grpc);
        var deadline = DateTime.UtcNow.AddSeconds(30);

        var attempt = await members.RecordQuizAttemptAsync(new RecordQuizAttemptRequest
        {
            MemberId = "lianfeng-0020", QuizId = "winter-quiz", EventId = NewId(), Score = 7, MaxScore = 10,
        }, deadline: deadline);
        var service = await members.RecordVolunteeringAsync(new RecordVolunteeringRequest
        {
            MemberId = "lianfeng-0020", EventId = NewId(), Activity = "为居民代办事项", Hours = 2,
        }, deadline: deadline);
        var badScore = await Assert.ThrowsAsync<RpcException>(() => members.RecordQuizAttemptAsync(new RecordQuizAttemptRequest
        {
            MemberId = "lianfeng-0020", QuizId = "winter-quiz", EventId = NewId(), Score = 11, MaxScore = 10,
        }, deadline: deadline).ResponseAsync);
        var noQuiz = await Assert.ThrowsAsync<RpcException>(() => members.RecordQuizAttemptAsync(new RecordQuizAttemptRequest
        {
            MemberId = "lianfeng-0020", QuizId = "no-such-quiz", EventId = NewId(), Score = 1, MaxScore = 10,
        }, deadline: deadline).ResponseAsync);

        Assert.False(attempt.Duplicate);
        Assert.Equal(4, service.PointsAwarded); // 2 h x 2 points, within the daily cap of 8
        Assert.Equal(StatusCode.InvalidArgument, badScore.StatusCode);
        Assert.Equal(StatusCode.NotFound, noQuiz.StatusCode);
    }
}

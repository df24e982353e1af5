using System.Text.Json;

namespace ProgressGrains.Gateway.Tests;

/// <summary>The JSON routes a WeChat mini-program calls, over real HTTP/1.1 on loopback.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed class JsonApiTests(DemoSiloFixture fixture)
{
    [Fact]
    public async Task CompleteRequiredLesson_ShowsInProgressAndInTheCommunityRollup()
    {
        var (memberId, lesson) = await MemberMissingARequiredLesson("jinyan");
        var before = await fixture.GetJson($"/v1/members/{memberId}/progress");
        var rollupBefore = await fixture.GetJson("/v1/communities/jinyan/rollup");

        var (status, reply) = await fixture.PostJson($"/v1/members/{memberId}/lessons/{lesson.Id}/complete", new { eventId = Guid.NewGuid() });

        Assert.Equal(200, status);
        Assert.False(reply.GetProperty("duplicate").GetBoolean());
        Assert.Equal(lesson.Points, reply.GetProperty("pointsAwarded").GetInt32());
        var after = await fixture.GetJson($"/v1/members/{memberId}/progress");
        Assert.Contains(lesson.Id, after.GetProperty("completedLessons").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Points(before) + lesson.Points, Points(after));
        Assert.True(after.GetProperty("progress").GetDouble() > before.GetProperty("progress").GetDouble());
        var rollupAfter = await fixture.GetJson("/v1/communities/jinyan/rollup");
        Assert.Equal(rollupBefore.GetProperty("totalPoints").GetInt64() + lesson.Points, rollupAfter.GetProperty("totalPoints").GetInt64());
        Assert.Equal(LessonCompletions(rollupBefore, lesson.Id) + 1, LessonCompletions(rollupAfter, lesson.Id));
    }

    [Fact]
    public async Task SameEventTwice_ReportsDuplicateAndChangesNothing()
    {
        var (memberId, lesson) = await MemberMissingARequiredLesson("heyun");
        var body = new { eventId = Guid.NewGuid(), channel = "CHANNEL_IN_PERSON", deliveredBy = "heyun-admin" };
        await fixture.PostJson($"/v1/members/{memberId}/lessons/{lesson.Id}/complete", body);
        var progress = await fixture.GetJson($"/v1/members/{memberId}/progress");
        var rollup = await fixture.GetJson("/v1/communities/heyun/rollup");

        var (status, reply) = await fixture.PostJson($"/v1/members/{memberId}/lessons/{lesson.Id}/complete", body);

        Assert.Equal(200, status);
        Assert.True(reply.GetProperty("duplicate").GetBoolean());
        Assert.Equal(progress.GetRawText(), (await fixture.GetJson($"/v1/members/{memberId}/progress")).GetRawText());
        Assert.Equal(rollup.GetProperty("totalPoints").GetInt64(), (await fixture.GetJson("/v1/communities/heyun/rollup")).GetProperty("totalPoints").GetInt64());
    }

    [Fact]
    public async Task CheckIn_CountsOncePerSitePerDay()
    {
        // Noon and a minute later, yesterday in Shanghai: the earlier check-in is the one that counts.
        var noon = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(-1).AddHours(12), TimeSpan.FromHours(8));
        var first = await fixture.PostJson("/v1/members/lianfeng-0007/checkins", new { eventId = Guid.NewGuid(), siteId = "haitang-yijiao", occurredAt = noon.ToString("O") });
        var second = await fixture.PostJson("/v1/members/lianfeng-0007/checkins", new { eventId = Guid.NewGuid(), siteId = "haitang-yijiao", occurredAt = noon.AddMinutes(1).ToString("O") });

        Assert.Equal(200, first.Status);
        Assert.True(first.Body.GetProperty("counted").GetBoolean());
        Assert.Equal(200, second.Status);
        Assert.False(second.Body.TryGetProperty("counted", out var counted) && counted.GetBoolean());
        Assert.Equal(first.Body.GetProperty("checkIns").GetInt32(), second.Body.GetProperty("checkIns").GetInt32());
    }

    public static TheoryData<string, string, string, int, string> BadRequests => new()
    {
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", "{}", 400, "event_id" },
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", """{"eventId":"not-a-uuid"}""", 400, "event_id" },
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", """{"eventId":"00000000-0000-0000-0000-000000000000"}""", 400, "event_id" },
        { "POST", "/v1/members/no-such-member/lessons/first-lesson/complete", $$"""{"eventId":"{{Guid.NewGuid()}}"}""", 404, "not enrolled" },
        { "POST", "/v1/members/wenhua-0001/lessons/no-such-lesson/complete", $$"""{"eventId":"{{Guid.NewGuid()}}"}""", 404, "no-such-lesson" },
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", $$"""{"eventId":"{{Guid.NewGuid()}}","channel":"CHANNEL_HOME_DELIVERY"}""", 403, "volunteer" },
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", $$"""{"eventId":"{{Guid.NewGuid()}}","occurredAt":"2999-01-01T00:00:00Z"}""", 400, "occurred_at" },
        { "POST", "/v1/members/wenhua-0001/lessons/first-lesson/complete", "not json", 400, "JSON" },
        { "POST", "/v1/members/bad%20id/checkins", $$"""{"eventId":"{{Guid.NewGuid()}}","siteId":"haitang-yijiao"}""", 400, "member_id" },
        { "POST", "/v1/members/wenhua-0001/checkins", $$"""{"eventId":"{{Guid.NewGuid()}}"}""", 400, "site_id" },
        { "POST", "/v1/members/wenhua-0001/checkins", $$"""{"eventId":"{{Guid.NewGuid()}}","siteId":"nowhere"}""", 404, "nowhere" },
        { "GET", "/v1/members/wenhua-0001/progress?season_id=1999-2000", "", 404, "1999-2000" },
        { "GET", "/v1/communities/atlantis/rollup", "", 404, "atlantis" },
        { "GET", "/v1/communities/wenhua/members?page_size=-1", "", 400, "page_size" },
        { "GET", "/v1/communities/wenhua/members?page_token=garbage", "", 400, "page_token" },
        { "GET", "/v1/seasons/no-such-season", "", 404, "no-such-season" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_GetsAClearClientErrorAndChangesNothing(string method, string path, string body, int expectedStatus, string mentioned)
    {
        var before = await fixture.GetJson("/v1/members/wenhua-0001/progress");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Json.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        var message = JsonDocument.Parse(text).RootElement.GetProperty("message").GetString();
        Assert.Contains(mentioned, message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before.GetRawText(), (await fixture.GetJson("/v1/members/wenhua-0001/progress")).GetRawText());
    }

    [Fact]
    public async Task Ledger_ExplainsEveryPoint_AndPagesThroughAllEntries()
    {
        var progress = await fixture.GetJson("/v1/members/wenhua-0001/progress");
        var entries = new List<JsonElement>();
        var token = "";
        do
        {
            var page = await fixture.GetJson($"/v1/members/wenhua-0001/ledger?page_size=3&page_token={token}");
            entries.AddRange(page.GetProperty("entries").EnumerateArray());
            Assert.Equal(progress.GetProperty("points").GetInt32(), page.GetProperty("points").GetInt32());
            token = page.GetProperty("nextPageToken").GetString();
        }
        while (!string.IsNullOrEmpty(token));

        Assert.True(entries.Count > 3, "the demo member should have several awards");
        Assert.Equal(progress.GetProperty("points").GetInt32(), entries.Sum(e => e.GetProperty("points").GetInt32()));
        Assert.Equal(entries.Count, entries.Select(e => e.GetProperty("eventId").GetString()).Distinct().Count());
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task Roster_PagesThroughEveryMemberOnce()
    {
        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await fixture.GetJson($"/v1/communities/dunhuang/members?page_size=25&page_token={token}");
            seen.AddRange(page.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("memberId").GetString()!));
            token = page.GetProperty("nextPageToken").GetString();
            Assert.Equal(60, page.GetProperty("totalSize").GetInt32());
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(60, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(60, seen.Distinct().Count());
    }

    [Fact]
    public async Task Season_IsServedByIdAndAsCurrent()
    {
        var current = await fixture.GetJson("/v1/seasons/current");
        var byId = await fixture.GetJson("/v1/seasons/2023-2024");

        Assert.Equal(current.GetRawText(), byId.GetRawText());
        var season = byId.GetProperty("season");
        Assert.True(season.GetProperty("current").GetBoolean());
        Assert.Equal(5, season.GetProperty("topics").GetArrayLength());
        Assert.Equal(12, season.GetProperty("lessons").GetArrayLength());
        Assert.Equal(season.GetProperty("lessons").EnumerateArray().Count(l => l.TryGetProperty("required", out var r) && r.GetBoolean()),
            season.GetProperty("requiredLessons").GetInt32());
        Assert.Contains(season.GetProperty("sites").EnumerateArray(), s => s.GetProperty("siteId").GetString() == "haitang-yijiao");
    }

    [Fact]
    public async Task Rollup_EqualsTheSumOverTheRoster()
    {
        var rollup = await fixture.GetJson("/v1/communities/wenhua/rollup");
        var roster = await fixture.GetJson("/v1/communities/wenhua/members?page_size=1000");
        var members = roster.GetProperty("members").EnumerateArray().ToArray();

        Assert.Equal(members.Length, rollup.GetProperty("enrolledMembers").GetInt32());
        Assert.Equal(members.Sum(m => m.TryGetProperty("points", out var p) ? p.GetInt64() : 0), rollup.GetProperty("totalPoints").GetInt64());
        Assert.Equal(members.Count(m => m.TryGetProperty("completed", out var c) && c.GetBoolean()), rollup.GetProperty("completedMembers").GetInt32());
        Assert.Equal(members.Average(m => m.TryGetProperty("progress", out var p) ? p.GetDouble() : 0), rollup.GetProperty("averageProgress").GetDouble(), 9);
    }

    private async Task<(string MemberId, (string Id, int Points) Lesson)> MemberMissingARequiredLesson(string communityId)
    {
        var season = (await fixture.GetJson("/v1/seasons/current")).GetProperty("season");
        var required = season.GetProperty("lessons").EnumerateArray()
            .Where(l => l.TryGetProperty("required", out var r) && r.GetBoolean())
            .Select(l => (Id: l.GetProperty("lessonId").GetString()!, Points: l.GetProperty("points").GetInt32()))
            .ToArray();
        var roster = await fixture.GetJson($"/v1/communities/{communityId}/members?page_size=1000");
        foreach (var member in roster.GetProperty("members").EnumerateArray())
        {
            var id = member.GetProperty("memberId").GetString()!;
            var done = (await fixture.GetJson($"/v1/members/{id}/progress")).GetProperty("completedLessons").EnumerateArray().Select(e => e.GetString()).ToHashSet();
            var missing = required.FirstOrDefault(l => !done.Contains(l.Id));
            if (missing.Id is not null)
            {
                return (id, missing);
            }
        }

        throw new InvalidOperationException($"Every member of {communityId} completed every required lesson.");
    }

    private static int Points(JsonElement progress) => progress.TryGetProperty("points", out var p) ? p.GetInt32() : 0;

    private static int LessonCompletions(JsonElement rollup, string lessonId) =>
        rollup.GetProperty("lessons").EnumerateArray().Single(l => l.GetProperty("lessonId").GetString() == lessonId)
            .TryGetProperty("completions", out var c) ? c.GetInt32() : 0;
}

using System.Text.Json;

namespace ProgressGrains.Gateway.Tests;

/// <summary>The outreach loop over JSON on the demo: queue, squad, assignment, home delivery, case history, coverage.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed class OutreachApiTests(DemoSiloFixture fixture)
{
    private static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : 0;

    [Fact]
    public async Task OnTheDemo_TheQueueIsNotEmpty_AndAMemberIsAssignedVisitedAndCounted()
    {
        var queue = await fixture.GetJson("/v1/communities/lianfeng/at-risk?page_size=1000");
        var squad = await fixture.GetJson("/v1/communities/lianfeng/volunteers");
        var before = (await fixture.GetJson("/v1/communities/lianfeng/rollup")).GetProperty("coverage");
        // Far enough behind that one more lesson does not bring the member back on pace.
        var waiting = queue.GetProperty("members").EnumerateArray()
            .First(m => m.GetProperty("case").GetProperty("status").GetString() == "OUTREACH_CASE_STATUS_OPEN"
                && (m.TryGetProperty("progress", out var p) ? p.GetDouble() : 0) < 0.5);
        var memberId = waiting.GetProperty("memberId").GetString()!;

        Assert.True(Int(queue, "totalSize") > 0);
        Assert.All(queue.GetProperty("members").EnumerateArray(), m => Assert.NotEmpty(m.GetProperty("case").GetProperty("reasons").EnumerateArray()));
        Assert.Equal(["lianfeng-v01", "lianfeng-v02"], squad.GetProperty("volunteers").EnumerateArray().Select(v => v.GetProperty("volunteerId").GetString()));

        var assigned = await fixture.PostJson($"/v1/communities/lianfeng/outreach/{memberId}/assign", new { volunteerId = "lianfeng-v02", assignedBy = "lianfeng-admin" });
        var assignments = await fixture.GetJson("/v1/volunteers/lianfeng-v02/assignments");
        var lesson = await MissingRequiredLesson(memberId);
        var wrongVolunteer = await fixture.PostJson($"/v1/members/{memberId}/lessons/{lesson}/complete",
            new { eventId = Guid.NewGuid(), channel = "CHANNEL_HOME_DELIVERY", deliveredBy = "lianfeng-v01" });
        var delivered = await fixture.PostJson($"/v1/members/{memberId}/lessons/{lesson}/complete",
            new { eventId = Guid.NewGuid(), channel = "CHANNEL_HOME_DELIVERY", deliveredBy = "lianfeng-v02" });
        var history = await fixture.GetJson($"/v1/communities/lianfeng/outreach/{memberId}");
        var after = (await fixture.GetJson("/v1/communities/lianfeng/rollup")).GetProperty("coverage");

        Assert.Equal(200, assigned.Status);
        Assert.Equal("OUTREACH_CASE_STATUS_ASSIGNED", assigned.Body.GetProperty("status").GetString());
        Assert.Contains(assignments.GetProperty("assignments").EnumerateArray(), a => a.GetProperty("memberId").GetString() == memberId && a.GetProperty("open").GetBoolean());
        Assert.Equal(403, wrongVolunteer.Status);
        Assert.Equal(200, delivered.Status);
        Assert.True(history.GetProperty("reached").GetBoolean());
        var steps = history.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("what").GetString()!).ToArray();
        Assert.Contains(steps, s => s.StartsWith("assigned to volunteer lianfeng-v02", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("reached", StringComparison.Ordinal));
        Assert.Equal(Int(before, "reached") + 1, Int(after, "reached"));
        Assert.Equal(Int(before, "inOutreach") + 1, Int(after, "inOutreach"));
        var lessons = (await fixture.GetJson($"/v1/members/{memberId}/progress")).GetProperty("lessons").EnumerateArray();
        Assert.Contains(lessons, l => l.GetProperty("lessonId").GetString() == lesson && l.GetProperty("deliveredBy").GetString() == "lianfeng-v02");
    }

    [Fact]
    public async Task SubdistrictCoverage_IsTheSumOfItsCommunities_AndBadRequestsAreRefused()
    {
        var subdistrict = (await fixture.GetJson("/v1/subdistricts/xietang/rollup")).GetProperty("coverage");
        var atRisk = 0;
        foreach (var community in new[] { "wenhua", "jinyan", "heyun", "dunhuang", "lianfeng" })
        {
            atRisk += Int((await fixture.GetJson($"/v1/communities/{community}/rollup")).GetProperty("coverage"), "atRisk");
        }

        Assert.Equal(atRisk, Int(subdistrict, "atRisk"));
        Assert.Equal(404, (await fixture.PostJson("/v1/communities/wenhua/outreach/wenhua-0001/assign", new { volunteerId = "nobody" })).Status);
        Assert.Equal(404, (await fixture.PostJson("/v1/communities/wenhua/outreach/jinyan-0001/assign", new { volunteerId = "wenhua-v01" })).Status);
        Assert.Equal(400, (await fixture.PostJson("/v1/communities/wenhua/outreach/wenhua-0001/assign", new { })).Status);
        using var noCase = await fixture.Json.GetAsync("/v1/communities/wenhua/outreach/no-such-member");
        Assert.Equal(404, (int)noCase.StatusCode);
    }

    [Fact]
    public async Task Flags_AreSetByAnAdmin_AndShowOnTheRoster()
    {
        var set = await fixture.PostJson("/v1/members/heyun-0007/flags", new { flags = new[] { "MEMBER_FLAG_ELDERLY", "MEMBER_FLAG_MOBILE" } });
        var roster = await fixture.GetJson("/v1/communities/heyun/members?page_size=1000");

        Assert.Equal(200, set.Status);
        var flags = roster.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("memberId").GetString() == "heyun-0007").GetProperty("flags");
        Assert.Equal(["MEMBER_FLAG_ELDERLY", "MEMBER_FLAG_MOBILE"], flags.EnumerateArray().Select(f => f.GetString()));
    }

    private async Task<string> MissingRequiredLesson(string memberId)
    {
        var season = (await fixture.GetJson("/v1/seasons/current")).GetProperty("season");
        var done = (await fixture.GetJson($"/v1/members/{memberId}/progress")).GetProperty("completedLessons").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        return season.GetProperty("lessons").EnumerateArray()
            .Where(l => l.TryGetProperty("required", out var r) && r.GetBoolean())
            .Select(l => l.GetProperty("lessonId").GetString()!).First(l => !done.Contains(l));
    }
}

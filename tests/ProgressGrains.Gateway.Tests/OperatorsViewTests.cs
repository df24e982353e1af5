using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>What operators see: the Prometheus scrape (Orleans' and the engine's metrics), probes, the dashboard.</summary>
[Collection(DemoSiloCollection.Name)]
public sealed partial class OperatorsViewTests(DemoSiloFixture fixture) : IDisposable
{
    private readonly HttpClient _bare = new() { BaseAddress = fixture.Silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _bare.Dispose();

    [Fact]
    public async Task Metrics_AreForOperators_AndCountWhatMembersDid()
    {
        const string member = "lianfeng-0031";
        var season = await fixture.GetJson("/v1/seasons/current");
        var start = season.GetProperty("season").GetProperty("startsAt").GetDateTimeOffset();
        var sites = season.GetProperty("season").GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("siteId").GetString()!).ToArray();
        var pointsBefore = (await fixture.GetJson($"/v1/members/{member}/progress")).GetProperty("points").GetInt32();
        var before = await Scrape();

        // Three check-ins a week apart (applied), one of them again (duplicate), one at a site that does not exist (rejected).
        var first = Guid.NewGuid();
        for (var day = 0; day < 3; day++)
        {
            var (status, body) = await fixture.PostJson($"/v1/members/{member}/checkins", new
            {
                eventId = day == 0 ? first : Guid.NewGuid(),
                siteId = sites[day % sites.Length],
                occurredAt = start.AddDays(40 + (7 * day)).AddHours(3).AddMinutes(17),
            });
            Assert.True(status == 200, body.ToString());
        }

        var (again, _) = await fixture.PostJson($"/v1/members/{member}/checkins", new { eventId = first, siteId = sites[0], occurredAt = start.AddDays(40).AddHours(3).AddMinutes(17) });
        var (unknown, _) = await fixture.PostJson($"/v1/members/{member}/checkins", new { eventId = Guid.NewGuid(), siteId = "no-such-site", occurredAt = start.AddDays(41) });
        Assert.Equal(200, again);
        Assert.Equal(404, unknown);
        var queue = await fixture.GetJson("/v1/communities/lianfeng/at-risk?page_size=1");
        var points = (await fixture.GetJson($"/v1/members/{member}/progress")).GetProperty("points").GetInt32() - pointsBefore;

        // The exporter caches a scrape briefly, and a community refreshes its outreach gauges every
        // Rollups:ReportInterval (2 s) between writes: wait for the counts to arrive.
        Dictionary<string, double> after = [];
        var atRisk = """progress_members_at_risk{community="lianfeng"}""";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            after = await Scrape();
            if (Delta(after, before, CheckIns("applied")) >= 3 && Delta(after, before, CheckIns("rejected")) >= 1
                && after.GetValueOrDefault(atRisk) == queue.GetProperty("totalSize").GetInt32())
            {
                break;
            }

            await Task.Delay(200);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TELEMETRY: /metrics after 5 check-ins: applied +{Delta(after, before, CheckIns("applied"))}, duplicate +{Delta(after, before, CheckIns("duplicate"))}, "
            + $"rejected +{Delta(after, before, CheckIns("rejected"))}, points +{Delta(after, before, """progress_points_awarded_total{kind="check_in"}""")}; "
            + $"{after.Keys.Count(k => k.StartsWith("orleans_", StringComparison.Ordinal))} Orleans series"));
        Assert.Equal(3, Delta(after, before, CheckIns("applied")));
        Assert.Equal(1, Delta(after, before, CheckIns("duplicate")));
        Assert.Equal(1, Delta(after, before, CheckIns("rejected")));
        Assert.Equal(points, Delta(after, before, """progress_points_awarded_total{kind="check_in"}"""));
        Assert.Equal(5, Delta(after, before, """progress_ingest_duration_seconds_count{kind="check_in"}"""));
        Assert.True(Delta(after, before, "progress_rollup_lag_seconds_count") >= 3);
        Assert.Equal(queue.GetProperty("totalSize").GetInt32(), after["""progress_members_at_risk{community="lianfeng"}"""]);
        Assert.Contains(after.Keys, k => k.StartsWith("orleans_catalog_activation_created_total", StringComparison.Ordinal));
        Assert.Contains(after.Keys, k => k.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _bare.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("/metrics", TestTokens.For("analyst"))).StatusCode);
    }

    [Fact]
    public async Task Dashboard_OpensForOperators_WithTheTokenOnce_ThenByCookie()
    {
        using var cookies = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var browser = new HttpClient(cookies) { BaseAddress = fixture.Silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };

        using var page = await browser.GetAsync($"/dashboard/?access_token={TestTokens.For("operator")}");
        var html = await page.Content.ReadAsStringAsync();
        using var counters = await browser.GetAsync("/dashboard/DashboardCounters");
        using var member = await _bare.GetAsync($"/dashboard/?access_token={TestTokens.For("member", member: "wenhua-0001")}");
        using var nobody = await _bare.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", html);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode); // the cookie, no token in the URL
        Assert.Contains("totalActivationCount", await counters.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    [Fact]
    public async Task Probes_NeedNoToken()
    {
        Assert.Equal("Healthy", await _bare.GetStringAsync("/health"));
        Assert.Equal("Healthy", await _bare.GetStringAsync("/alive"));
    }

    private static string CheckIns(string outcome) => $$"""progress_events_total{kind="check_in",outcome="{{outcome}}"}""";

    private static double Delta(Dictionary<string, double> after, Dictionary<string, double> before, string series) =>
        after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

    /// <summary>The scrape, as series (name and labels, without the scope label) to value.</summary>
    private async Task<Dictionary<string, double>> Scrape()
    {
        using var response = await Get("/metrics", TestTokens.For("operator"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match line in SeriesLine().Matches(text))
        {
            var labels = ScopeLabel().Replace(line.Groups["labels"].Value, "").Trim(',');
            var name = labels.Length == 0 ? line.Groups["name"].Value : $"{line.Groups["name"].Value}{{{labels}}}";
            series[name] = double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return series;
    }

    private Task<HttpResponseMessage> Get(string path, string token) =>
        _bare.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } });

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"otel_scope_name=""[^""]*"",?")]
    private static partial Regex ScopeLabel();
}

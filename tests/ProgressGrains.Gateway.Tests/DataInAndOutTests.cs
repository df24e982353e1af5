using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using nietras.SeparatedValues;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>A demo silo of its own: these tests import members and change a season.</summary>
public sealed class DataSiloFixture : IAsyncLifetime
{
    public DemoSiloFixture Demo { get; } = new() { ExtraArgs = ["--RateLimits:PerMemberBurst=100000"] };

    public ValueTask InitializeAsync() => Demo.InitializeAsync();

    public ValueTask DisposeAsync() => Demo.DisposeAsync();
}

/// <summary>Roster import (report, idempotence, moves) and analysts' rollups (recount, CSV).</summary>
public sealed class DataInAndOutTests(DataSiloFixture fixture) : IClassFixture<DataSiloFixture>, IDisposable
{
    private static readonly string Staff = TestTokens.For("subdistrict_admin", subdistrict: "xietang");
    private static readonly string[] Communities = ["dunhuang", "heyun", "jinyan", "lianfeng", "wenhua"];
    private readonly HttpClient _http = new() { BaseAddress = fixture.Demo.Silo.HttpBase, Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ARosterWithDeliberateErrors_GetsTheExactReport_ThenGoodRowsImportOnce()
    {
        var csv = new StringBuilder("\uFEFF党员编号,姓名,社区,网格,出生年份,标记,openid,电话\n");
        var expected = new List<(int Line, string Column)>();
        var valid = new Dictionary<string, int>(StringComparer.Ordinal);
        var random = new Random(8);
        const int rows = 3000;
        var nextLine = 2;
        for (var i = 1; i <= rows; i++)
        {
            var line = nextLine;
            var community = Communities[i % Communities.Length];
            var id = $"imp-{i:D5}";
            // Every 97th name holds a comma and quotes; every 500th a line break inside its quotes,
            // which the file may carry but a name may not (reported, like any other problem).
            var name = i % 500 == 0 ? "\"王\n五\"" : i % 97 == 0 ? "\"张, \"\"小\"\"明\"" : $"成员{i}";
            var grid = $"{community}-g{1 + (i % 3)}";
            var birth = (1940 + random.Next(60)).ToString(CultureInfo.InvariantCulture);
            var flags = i % 11 == 0 ? "老年;居家" : "";
            var openId = i % 13 == 0 ? $"o-imp-{i}" : "";
            var bad = true;
            if (i % 500 == 0 && i % 150 is < 1 or > 9)
            {
                expected.Add((line, "姓名"));
            }
            else
            {
                switch (i % 150)
                {
                    case 1: id = "bad id!"; expected.Add((line, "党员编号")); break;
                    case 2: name = ""; expected.Add((line, "姓名")); break;
                    case 3: community = "nowhere"; grid = "nowhere-g1"; expected.Add((line, "社区")); break;
                    case 4: grid = $"{community}-g9"; expected.Add((line, "网格")); break;
                    case 5: birth = "19x5"; expected.Add((line, "出生年份")); break;
                    case 6: flags = "老年;vip"; expected.Add((line, "标记")); break;
                    case 7: openId = "demo-wenhua-0001"; expected.Add((line, "openid")); break;
                    case 8: id = $"imp-{i - 1:D5}"; expected.Add((line, "党员编号")); break; // also on the line before
                    case 9: birth = "1850"; grid = $"{community}-g7"; expected.Add((line, "网格")); expected.Add((line, "出生年份")); break;
                    default: bad = false; break;
                }
            }

            if (!bad)
            {
                valid[community] = valid.GetValueOrDefault(community) + 1;
            }

            csv.Append(CultureInfo.InvariantCulture, $"{id},{name},{community},{grid},{birth},{flags},{openId},1380000{i:D4}\n");
            nextLine += 1 + name.Count(c => c == '\n'); // a quoted name may hold a line break
        }

        var file = Encoding.UTF8.GetBytes(csv.ToString());
        var before = await Enrolled();

        var refused = await Import(file);
        var partial = await Import(file, importValidRows: true);
        var after = await Enrolled();
        var again = await Import(file, importValidRows: true);
        var afterAgain = await Enrolled();

        var problems = refused.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("column").GetString()!)).ToList();
        Assert.Equal(expected.Order(), problems.Order());
        Assert.All(refused.GetProperty("problems").EnumerateArray(), p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("reason").GetString())));
        Assert.Equal(rows, refused.GetProperty("rows").GetInt32());
        Assert.False(refused.GetProperty("imported").GetBoolean());
        Assert.Equal(["电话"], refused.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(valid.Values.Sum(), partial.GetProperty("created").GetInt32());
        Assert.True(partial.GetProperty("imported").GetBoolean());
        foreach (var community in Communities)
        {
            Assert.Equal(before[community] + valid.GetValueOrDefault(community), after[community]);
        }

        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
        Assert.Equal(valid.Values.Sum(), again.GetProperty("unchanged").GetInt32());
        Assert.Equal(after, afterAgain);

        // A name with a comma and quotes came through whole; the openid signs in.
        var quoted = await Get<JsonElement>($"/v1/members/imp-00097/progress");
        Assert.Equal("张, \"小\"明", quoted.GetProperty("name").GetString());
        using var signIn = await _http.PostAsync("/v1/auth/wechat", new StringContent("""{"code":"o-imp-13"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task MovingAMember_MovesTheirProgress_BetweenCommunitiesAndGrids_Exactly()
    {
        var member = (await Get<JsonElement>("/v1/communities/heyun/members?page_size=1000")).GetProperty("members").EnumerateArray()
            .First(m => Int(m, "points") > 0 && Int(m, "checkIns") > 0).GetProperty("memberId").GetString()!;
        var progress = await Get<JsonElement>($"/v1/members/{member}/progress");
        var points = progress.GetProperty("points").GetInt64();
        var checkIns = progress.GetProperty("checkIns").GetInt64();
        var fromGrid = progress.GetProperty("gridId").GetString()!;
        Assert.True(points > 0, "the member should have some points to move");
        var heyun = await Rollup("heyun");
        var lianfeng = await Rollup("lianfeng");

        var moved = await Import(Encoding.UTF8.GetBytes($"member_id,name,community_id,grid,birth_year\n{member},{progress.GetProperty("name").GetString()},lianfeng,lianfeng-g2,{progress.GetProperty("birthYear").GetInt32()}\n"));
        var heyunAfter = await Rollup("heyun");
        var lianfengAfter = await Rollup("lianfeng");
        var regrid = await Import(Encoding.UTF8.GetBytes($"member_id,name,community_id,grid,birth_year\n{member},{progress.GetProperty("name").GetString()},lianfeng,lianfeng-g3,{progress.GetProperty("birthYear").GetInt32()}\n"));
        var lianfengRegrid = await Rollup("lianfeng");

        Assert.Equal(1, moved.GetProperty("moved").GetInt32());
        Assert.Equal(heyun.Enrolled - 1, heyunAfter.Enrolled);
        Assert.Equal(heyun.Points - points, heyunAfter.Points);
        Assert.Equal(heyun.CheckIns - checkIns, heyunAfter.CheckIns);
        Assert.Equal(heyun.Grids[fromGrid] - points, heyunAfter.Grids[fromGrid]);
        Assert.Equal(lianfeng.Enrolled + 1, lianfengAfter.Enrolled);
        Assert.Equal(lianfeng.Points + points, lianfengAfter.Points);
        Assert.Equal(lianfeng.CheckIns + checkIns, lianfengAfter.CheckIns);
        Assert.Equal(lianfeng.Grids["lianfeng-g2"] + points, lianfengAfter.Grids["lianfeng-g2"]);
        Assert.Equal(1, regrid.GetProperty("updated").GetInt32());
        Assert.Equal(lianfengAfter.Points, lianfengRegrid.Points);
        Assert.Equal(lianfengAfter.Grids["lianfeng-g2"] - points, lianfengRegrid.Grids["lianfeng-g2"]);
        Assert.Equal(lianfengAfter.Grids["lianfeng-g3"] + points, lianfengRegrid.Grids["lianfeng-g3"]);
    }

    [Fact]
    public async Task AMovedMember_IsNoLongerTheOldSquadVolunteers_AndAdminsSeeOnlyTheirOwnCommunitysAssignments()
    {
        var heyunAdmin = TestTokens.For("community_admin", community: "heyun");
        var volunteer = TestTokens.For("volunteer", volunteer: "heyun-v01", community: "heyun");
        using var list = await Send(HttpMethod.Get, "/v1/volunteers/heyun-v01/assignments", heyunAdmin);
        var assigned = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("assignments").EnumerateArray()
            .First(a => a.TryGetProperty("open", out var open) && open.GetBoolean()).GetProperty("memberId").GetString()!;
        var progress = await Get<JsonElement>($"/v1/members/{assigned}/progress");
        var season = (await Get<JsonElement>("/v1/seasons/current")).GetProperty("season");
        var lesson = season.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("lessonId").GetString()!)
            .First(l => !progress.GetProperty("completedLessons").EnumerateArray().Any(c => c.GetString() == l));
        using (var before = await Send(HttpMethod.Get, $"/v1/members/{assigned}/progress", volunteer))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await Import(Encoding.UTF8.GetBytes($"member_id,name,community_id,grid,birth_year\n{assigned},{progress.GetProperty("name").GetString()},dunhuang,dunhuang-g1,{progress.GetProperty("birthYear").GetInt32()}\n"));
        using var read = await Send(HttpMethod.Get, $"/v1/members/{assigned}/progress", volunteer);
        using var deliver = await Send(HttpMethod.Post, $"/v1/members/{assigned}/lessons/{lesson}/complete", volunteer,
            new StringContent($$"""{"eventId":"{{Guid.NewGuid()}}","channel":"CHANNEL_HOME_DELIVERY"}""", Encoding.UTF8, "application/json"));

        // Another community's admin puts heyun-v01 on their squad: they still see only their own community's assignments.
        var dunhuangAdmin = TestTokens.For("community_admin", community: "dunhuang");
        using var register = await Send(HttpMethod.Post, "/v1/communities/dunhuang/volunteers", dunhuangAdmin,
            new StringContent("""{"volunteers":[{"volunteerId":"heyun-v01","name":"借调队员"}]}""", Encoding.UTF8, "application/json"));
        using var foreign = await Send(HttpMethod.Get, "/v1/volunteers/heyun-v01/assignments", dunhuangAdmin);

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deliver.StatusCode);
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
        Assert.All(JsonDocument.Parse(await foreign.Content.ReadAsStringAsync()).RootElement.GetProperty("assignments").EnumerateArray(),
            a => Assert.Equal("dunhuang", a.GetProperty("communityId").GetString()));
    }

    [Fact]
    public async Task AfterARandomWorkload_TheReportAndItsCsvEqualARecountFromMemberState()
    {
        // A lesson title with a comma, quotes and a newline, to be quoted in lessons.csv.
        var season = (await Get<JsonElement>("/v1/seasons/current")).GetProperty("season");
        var seasonJson = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(season.GetRawText())!;
        var lessonsJson = season.GetProperty("lessons").EnumerateArray().Select(l => JsonSerializer.Deserialize<Dictionary<string, object>>(l.GetRawText())!).ToList();
        lessonsJson[0]["title"] = "学习, \"二十大\"\n精神";
        seasonJson["lessons"] = JsonSerializer.SerializeToElement(lessonsJson);
        using (var put = await Send(HttpMethod.Put, $"/v1/seasons/{season.GetProperty("seasonId").GetString()}?make_current=true", Staff,
            new StringContent(JsonSerializer.Serialize(seasonJson), Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        // Random lessons (three channels) and check-ins by random members at random times of the season.
        var start = season.GetProperty("startsAt").GetDateTimeOffset();
        var days = (int)(season.GetProperty("endsAt").GetDateTimeOffset() - start).TotalDays;
        var lessonIds = lessonsJson.Select(l => l["lessonId"].ToString()!).ToArray();
        var sites = season.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("siteId").GetString()!).ToArray();
        var random = new Random(42);
        var sent = 0;
        for (var i = 0; i < 150; i++)
        {
            var community = Communities[random.Next(Communities.Length)];
            var member = $"{community}-{1 + random.Next(60):D4}";
            var at = start.AddDays(random.Next(days)).AddMinutes(random.Next(1440));
            var lesson = lessonIds[random.Next(lessonIds.Length)];
            var (path, token, body) = random.Next(3) switch
            {
                0 => ($"/v1/members/{member}/lessons/{lesson}/complete", TestTokens.For("member", member: member),
                    (object)new { eventId = Guid.NewGuid(), channel = "CHANNEL_ONLINE", occurredAt = at }),
                1 => ($"/v1/members/{member}/lessons/{lesson}/complete", TestTokens.For("community_admin", community: community),
                    new { eventId = Guid.NewGuid(), channel = "CHANNEL_IN_PERSON", occurredAt = at }),
                _ => ($"/v1/members/{member}/checkins", TestTokens.For("member", member: member),
                    new { eventId = Guid.NewGuid(), siteId = sites[random.Next(sites.Length)], occurredAt = at }),
            };
            using var response = await Send(HttpMethod.Post, path, token, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
            sent += response.IsSuccessStatusCode ? 1 : 0;
        }

        var report = await Get<JsonElement>("/v1/subdistricts/xietang/report");

        // The recount: every member's own state.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var members = new List<JsonElement>();
        foreach (var community in Communities)
        {
            var roster = await Get<JsonElement>($"/v1/communities/{community}/members?page_size=1000");
            foreach (var entry in roster.GetProperty("members").EnumerateArray())
            {
                members.Add(await Get<JsonElement>($"/v1/members/{entry.GetProperty("memberId").GetString()}/progress"));
            }
        }

        var scopes = report.GetProperty("scopes").EnumerateArray().ToDictionary(s => $"{s.GetProperty("scope").GetString()}:{s.GetProperty("scopeId").GetString()}", s => s.GetProperty("counts"));
        void Same(string scope, IEnumerable<JsonElement> set)
        {
            var list = set.ToList();
            var counts = scopes[scope];
            Assert.Equal(list.Count, Int(counts, "enrolled"));
            Assert.Equal(list.Count(m => m.GetProperty("completed").GetBoolean()), Int(counts, "completed"));
            Assert.Equal(list.Sum(m => (long)m.GetProperty("points").GetInt32()), Long(counts, "points"));
            Assert.Equal(list.Sum(m => (long)m.GetProperty("checkIns").GetInt32()), Long(counts, "checkIns"));
            Assert.Equal(list.Count == 0 ? 0 : list.Average(m => m.GetProperty("progress").GetDouble()), Double(counts, "averageProgress"), 9);
        }

        Same("subdistrict:xietang", members);
        foreach (var community in members.GroupBy(m => m.GetProperty("communityId").GetString()!))
        {
            Same($"community:{community.Key}", community);
            foreach (var grid in community.GroupBy(m => m.GetProperty("gridId").GetString()!))
            {
                Same($"grid:{grid.Key}", grid);
            }
        }

        var lessons = members.SelectMany(m => m.GetProperty("lessons").EnumerateArray()).ToList();
        foreach (var row in report.GetProperty("lessons").EnumerateArray())
        {
            var id = row.GetProperty("lessonId").GetString();
            var these = lessons.Where(l => l.GetProperty("lessonId").GetString() == id).ToList();
            Assert.Equal(these.Count, Int(row, "completions"));
            Assert.Equal(these.Count(l => l.GetProperty("channel").GetString() == "CHANNEL_IN_PERSON"), Int(row, "inPerson"));
            Assert.Equal(these.Count(l => l.GetProperty("channel").GetString() == "CHANNEL_HOME_DELIVERY"), Int(row, "homeDelivery"));
        }

        Assert.Equal(lessons.Count, report.GetProperty("channels").EnumerateArray().Sum(c => Int(c, "completions")));
        Assert.Equal(lessons.Count, report.GetProperty("topics").EnumerateArray().Sum(t => Int(t, "completions")));
        var perDay = lessons.GroupBy(l => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(l.GetProperty("occurredAt").GetDateTimeOffset(), zone).DateTime))
            .ToDictionary(g => g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g => g.Count());
        Assert.Equal(perDay.OrderBy(d => d.Key), report.GetProperty("daily").EnumerateArray()
            .Where(d => Int(d, "lessonCompletions") > 0).Select(d => KeyValuePair.Create(d.GetProperty("date").GetString()!, Int(d, "lessonCompletions"))).OrderBy(d => d.Key));
        Assert.Equal(members.Count(m => m.GetProperty("completed").GetBoolean()), report.GetProperty("daily").EnumerateArray().Sum(d => Int(d, "membersCompleted")));
        var seasonYear = start.Year;
        foreach (var band in report.GetProperty("ageBands").EnumerateArray())
        {
            var these = members.Where(m => Band(m.GetProperty("birthYear").GetInt32(), seasonYear) == band.GetProperty("band").GetString()).ToList();
            Assert.Equal(these.Count, Int(band.GetProperty("counts"), "enrolled"));
            Assert.Equal(these.Count(m => m.GetProperty("completed").GetBoolean()), Int(band.GetProperty("counts"), "completed"));
        }

        foreach (var community in Communities)
        {
            var queue = await Get<JsonElement>($"/v1/communities/{community}/at-risk?page_size=1");
            Assert.Equal(queue.GetProperty("totalSize").GetInt32(), Int(scopes[$"community:{community}"], "atRisk"));
            var coverage = (await Get<JsonElement>($"/v1/communities/{community}/rollup")).GetProperty("coverage");
            Assert.Equal(Int(coverage, "reached"), Int(scopes[$"community:{community}"], "reachedByOutreach"));
        }

        var activeSince = DateTimeOffset.UtcNow.AddDays(-7);
        Assert.Equal(members.Count(m => m.TryGetProperty("lastActivityAt", out var last) && last.GetDateTimeOffset() >= activeSince),
            Int(scopes["subdistrict:xietang"], "active7d"));

        // The CSVs say the same: BOM, header, quoting; read back with a CSV reader.
        var scopesCsv = await Csv("scopes");
        var lessonsCsv = await Csv("lessons");
        Assert.Equal(report.GetProperty("scopes").GetArrayLength(), scopesCsv.Count);
        foreach (var row in scopesCsv)
        {
            var counts = scopes[$"{row["scope"]}:{row["scope_id"]}"];
            Assert.Equal(Int(counts, "enrolled").ToString(CultureInfo.InvariantCulture), row["enrolled"]);
            Assert.Equal(Long(counts, "points").ToString(CultureInfo.InvariantCulture), row["points"]);
            Assert.Equal(Int(counts, "atRisk").ToString(CultureInfo.InvariantCulture), row["at_risk"]);
        }

        Assert.Equal("学习, \"二十大\"\n精神", lessonsCsv.Single(r => r["lesson_id"] == lessonIds[0])["title"]);
        var gridsCsv = await Csv("grids");
        Assert.Equal(scopes.Keys.Count(k => k.StartsWith("grid:", StringComparison.Ordinal)), gridsCsv.Count);
        Assert.All(gridsCsv, row => Assert.Equal("grid", row["scope"]));
        TestContext.Current.TestOutputHelper?.WriteLine($"DATA: {sent} random events; report recounted from {members.Count} members over {scopes.Count} scopes, {report.GetProperty("lessons").GetArrayLength()} lessons, {report.GetProperty("daily").GetArrayLength()} days");
    }

    [Fact]
    public async Task HostileRosterBodies_GetClientErrors_AndChangeNothing()
    {
        var random = new Random(5);
        var before = await Enrolled();
        var bodies = new List<(string ContentType, byte[] Body)>
        {
            ("text/csv", []),
            ("text/csv", [0xEF, 0xBB, 0xBF]),
            ("text/csv", Encoding.UTF8.GetBytes("member_id,name\n\"unclosed,quote\n")),
            ("text/csv", Encoding.UTF8.GetBytes("member_id,member_id,name,community_id,grid,birth_year\n")),
            ("text/csv", Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"c{i}")) + "\n")),
            ("text/csv", Encoding.UTF8.GetBytes("member_id,name,community_id,grid,birth_year\n" + new string('x', 500_000) + ",a,wenhua,wenhua-g1,1970\n")),
            ("text/csv", Encoding.UTF8.GetBytes("member_id,name,community_id,grid,birth_year\n'; DROP TABLE members;--,a,wenhua,wenhua-g1,1970\n")),
            ("text/csv", Encoding.UTF8.GetBytes("member_id,name,community_id,grid,birth_year\nx\0y,a\0b,wenhua,wenhua-g1,1970\n")),
            ("multipart/form-data", Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--")),
            ("multipart/form-data; boundary=x", Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"notafile\"\r\n\r\nabc\r\n--x--\r\n")),
            ("multipart/form-data; boundary=x", Encoding.UTF8.GetBytes("garbage without any boundary")),
            ("application/json", Encoding.UTF8.GetBytes("{\"member_id\":1}")),
            ("application/octet-stream", [0xFF, 0xFE, 0x00, 0x00, 0x01]),
        };
        for (var i = 0; i < 187; i++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            bodies.Add((i % 2 == 0 ? "text/csv" : "application/octet-stream", garbage));
        }

        var statuses = new Dictionary<int, int>();
        foreach (var (type, body) in bodies)
        {
            using var response = await Send(HttpMethod.Post, "/v1/roster/import", Staff,
                new ByteArrayContent(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(type) } });
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"{type} body of {body.Length} bytes: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"HOSTILE: {bodies.Count} roster bodies, statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.Equal(before, await Enrolled());
    }

    [Fact]
    public async Task TheStreamedExport_IsTheSameCsv()
    {
        var invoker = TestIdentityInterceptor.Wrap(fixture.Demo.Channel);
        var headers = new Metadata { { "authorization", $"Bearer {TestTokens.For("analyst")}" } };
        using var call = new AnalyticsService.AnalyticsServiceClient(invoker).ExportRollupCsv(new GetRollupCsvRequest { SubdistrictId = "xietang" }, headers);
        using var streamed = new MemoryStream();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            call.ResponseStream.Current.Data.WriteTo(streamed);
        }

        using var response = await Send(HttpMethod.Get, "/v1/subdistricts/xietang/rollup.csv", TestTokens.For("analyst"));
        var json = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal([0xEF, 0xBB, 0xBF], json[..3]);
        Assert.Equal(json, streamed.ToArray());
        var bad = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var wrong = new AnalyticsService.AnalyticsServiceClient(invoker).ExportRollupCsv(new GetRollupCsvRequest { SubdistrictId = "xietang", Table = "members" }, headers);
            await wrong.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
    }

    [Fact]
    public async Task TheCli_LoadsASeason_ImportsARoster_ExportsRollups_AndSimulates()
    {
        using var directory = new TempDirectory();
        var seasonFile = Path.Combine(Path.GetDirectoryName(SiloProcess.SiloAssembly)!, "Demo", "season-2023-2024.json");
        var good = Path.Combine(directory.Path, "good.csv");
        var bad = Path.Combine(directory.Path, "bad.csv");
        var export = Path.Combine(directory.Path, "out", "rollups.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(export)!);
        await File.WriteAllTextAsync(good, "member_id,name,community_id,grid,birth_year\ncli-0001,甲,wenhua,wenhua-g1,1970\ncli-0002,乙,jinyan,jinyan-g2,1980\n");
        await File.WriteAllTextAsync(bad, "member_id,name,community_id,grid,birth_year\ncli-0003,丙,wenhua,wenhua-g1,19x0\n");
        var before = await Get<JsonElement>("/v1/communities/lianfeng/rollup");

        var season = await Cli("season", "load", seasonFile);
        var imported = await Cli("import", "roster", good);
        var refused = await Cli("import", "roster", bad);
        var exported = await Cli("export", "rollups", "--subdistrict", "xietang", "--out", export);
        byte[] viaJson;
        using (var json = await Send(HttpMethod.Get, "/v1/subdistricts/xietang/rollup.csv", Staff))
        {
            viaJson = await json.Content.ReadAsByteArrayAsync();
        }

        var simulated = await Cli("simulate", "--community", "lianfeng", "--members", "5", "--seconds", "2", "--rate", "15", "--seed", "3");
        var noToken = await CliAs("", "export", "rollups", "--subdistrict", "xietang", "--out", export);
        var unreachable = await Cli("export", "rollups", "--subdistrict", "xietang", "--out", export, "--gateway", $"http://127.0.0.1:{SiloProcess.FreePort()}", "--timeout", "5");
        var after = await Get<JsonElement>("/v1/communities/lianfeng/rollup");

        Assert.True(season.ExitCode == 0, season.Output);
        Assert.Contains("Season 2023-2024", season.Output);
        Assert.True(imported.ExitCode == 0, imported.Output);
        Assert.Contains("2 new", imported.Output);
        Assert.Equal("甲", (await Get<JsonElement>("/v1/members/cli-0001/progress")).GetProperty("name").GetString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("line 2, birth_year", refused.Output);
        Assert.True(exported.ExitCode == 0, exported.Output);
        Assert.Equal(viaJson, await File.ReadAllBytesAsync(export));

        Assert.True(simulated.ExitCode == 0, simulated.Output);
        Assert.Contains("30 acknowledged", simulated.Output);
        Assert.True(Long(after, "totalPoints") + Long(after, "totalCheckIns") > Long(before, "totalPoints") + Long(before, "totalCheckIns")
            || Long(after, "totalLessonCompletions") > Long(before, "totalLessonCompletions"), "the simulated events should show in the community's rollup");
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("token", noToken.Output);
        Assert.Equal(3, unreachable.ExitCode);
        Assert.False(File.Exists(export + ".partial"), "a failed export leaves no partial file");
    }

    private Task<(int ExitCode, string Output)> Cli(params string[] args) => CliAs(Staff, args);

    private async Task<(int ExitCode, string Output)> CliAs(string token, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliAssembly);
        string[] all = args.Contains("--gateway") ? args : [.. args, "--gateway", fixture.Demo.Silo.GrpcBase.ToString().TrimEnd('/')];
        foreach (var arg in all)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PROGRESS_TOKEN"] = token;
        start.Environment["COLUMNS"] = "200";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string CliAssembly => typeof(DataInAndOutTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!;

    private static string Band(int birthYear, int seasonYear) => birthYear == 0 ? "unknown" : (seasonYear - birthYear) switch
    {
        < 40 => "under-40",
        < 60 => "40-59",
        < 75 => "60-74",
        _ => "75-plus",
    };

    private static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : 0;

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetInt64()) : 0;

    private static double Double(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetDouble() : 0;

    private sealed record RollupSnapshot(long Enrolled, long Points, long CheckIns, Dictionary<string, long> Grids);

    private async Task<RollupSnapshot> Rollup(string community)
    {
        var rollup = await Get<JsonElement>($"/v1/communities/{community}/rollup");
        return new RollupSnapshot(Long(rollup, "enrolledMembers"), Long(rollup, "totalPoints"), Long(rollup, "totalCheckIns"),
            rollup.GetProperty("grids").EnumerateArray().ToDictionary(g => g.GetProperty("gridId").GetString()!, g => Long(g, "totalPoints")));
    }

    private async Task<Dictionary<string, int>> Enrolled()
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var community in Communities)
        {
            result[community] = (int)Long(await Get<JsonElement>($"/v1/communities/{community}/rollup"), "enrolledMembers");
        }

        return result;
    }

    private async Task<JsonElement> Import(byte[] file, bool importValidRows = false)
    {
        using var response = await Send(HttpMethod.Post, $"/v1/roster/import?import_valid_rows={(importValidRows ? "true" : "false")}", Staff,
            new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<List<Dictionary<string, string>>> Csv(string table)
    {
        using var response = await Send(HttpMethod.Get, $"/v1/subdistricts/xietang/rollup.csv?table={table}", TestTokens.For("analyst", subdistrict: "xietang"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true }).FromText(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        var names = reader.Header.ColNames.ToArray();
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                values[names[i]] = row[i].ToString();
            }

            rows.Add(values);
        }

        return rows;
    }

    private async Task<T> Get<T>(string path)
    {
        using var response = await Send(HttpMethod.Get, path, Staff);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body)!;
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, HttpContent? content = null) =>
        _http.SendAsync(new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) }, Content = content });
}

using System.Net.Http.Json;
using System.Text.Json;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>The silo program stopped and started again on the same data directory.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = SiloProcess.NewDataDirectory();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task OrderlyRestart_KeepsMemberStateAndRollup()
    {
        JsonElement progressBefore, rollupBefore;
        await using (var silo = await SiloProcess.StartAsync(_dataDirectory, demo: true))
        {
            using var http = Client(silo);
            var lesson = await FirstMissingLesson(http, "wenhua-0005");
            var reply = await Post(http, $"/v1/members/wenhua-0005/lessons/{lesson}/complete", new { eventId = Guid.NewGuid() });
            Assert.False(reply.GetProperty("duplicate").GetBoolean());
            progressBefore = await Get(http, "/v1/members/wenhua-0005/progress");
            rollupBefore = await Get(http, "/v1/communities/wenhua/rollup");
            await silo.StopAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_dataDirectory))
        {
            using var http = Client(silo);
            Assert.Equal(progressBefore.GetRawText(), (await Get(http, "/v1/members/wenhua-0005/progress")).GetRawText());
            Assert.Equal(rollupBefore.GetRawText(), (await Get(http, "/v1/communities/wenhua/rollup")).GetRawText());
        }
    }

    [Fact]
    public async Task Kill9MidStream_LosesNoAcknowledgedEvent_AndRollupsEqualARecount()
    {
        var acknowledged = new List<(string Member, string Lesson, Guid EventId)>();
        string[] lessons;
        await using (var silo = await SiloProcess.StartAsync(_dataDirectory, demo: true))
        {
            using var http = Client(silo);
            var season = (await Get(http, "/v1/seasons/current")).GetProperty("season");
            lessons = [.. season.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("lessonId").GetString()!)];
            var members = Enumerable.Range(1, 60).Select(i => $"heyun-{i:D4}").ToArray();
            var work = members.SelectMany(m => lessons.Select(l => (Member: m, Lesson: l, EventId: Guid.NewGuid()))).ToArray();
            using var stop = new CancellationTokenSource();
            var sender = Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (item, ct) =>
            {
                using var response = await http.PostAsJsonAsync($"/v1/members/{item.Member}/lessons/{item.Lesson}/complete", new { eventId = item.EventId }, ct);
                if (response.IsSuccessStatusCode)
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(item);
                    }
                }
            });

            // Let a few hundred events through, then kill the process while requests are in flight.
            while (Count(acknowledged) < 200 && !sender.IsCompleted)
            {
                await Task.Delay(10);
            }

            await silo.KillAsync();
            await stop.CancelAsync();
            try
            {
                await sender;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Requests in flight at the kill fail; they were never acknowledged.
            }
        }

        Assert.True(acknowledged.Count >= 200, $"only {acknowledged.Count} events were acknowledged before the kill");
        await using (var silo = await SiloProcess.StartAsync(_dataDirectory))
        {
            using var http = Client(silo);
            var recount = new Dictionary<string, long> { ["points"] = 0, ["completions"] = 0, ["completed"] = 0 };
            foreach (var member in Enumerable.Range(1, 60).Select(i => $"heyun-{i:D4}"))
            {
                var progress = await Get(http, $"/v1/members/{member}/progress");
                var completed = progress.GetProperty("completedLessons").EnumerateArray().Select(e => e.GetString()).ToHashSet();
                foreach (var ack in acknowledged.Where(a => a.Member == member))
                {
                    Assert.Contains(ack.Lesson, completed);
                }

                var eventIds = progress.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("lessonId").GetString()).ToArray();
                Assert.Equal(eventIds.Length, eventIds.Distinct().Count());
                recount["points"] += progress.TryGetProperty("points", out var p) ? p.GetInt64() : 0;
                recount["completions"] += completed.Count;
                recount["completed"] += progress.TryGetProperty("completed", out var c) && c.GetBoolean() ? 1 : 0;
            }

            var rollup = await Get(http, "/v1/communities/heyun/rollup");
            Assert.Equal(recount["points"], rollup.GetProperty("totalPoints").GetInt64());
            Assert.Equal(recount["completions"], rollup.GetProperty("totalLessonCompletions").GetInt64());
            Assert.Equal(recount["completed"], rollup.TryGetProperty("completedMembers", out var cm) ? cm.GetInt64() : 0);
        }

        static int Count(List<(string, string, Guid)> list)
        {
            lock (list)
            {
                return list.Count;
            }
        }
    }

    [Fact]
    public async Task Kill9_AfterAnAssignment_LosesNoOutreachCase()
    {
        string queueBefore, caseBefore, assignmentsBefore;
        await using (var silo = await SiloProcess.StartAsync(_dataDirectory, demo: true))
        {
            using var http = Client(silo);
            var queue = await Get(http, "/v1/communities/dunhuang/at-risk?page_size=1000");
            var memberId = queue.GetProperty("members").EnumerateArray()
                .First(m => m.GetProperty("case").GetProperty("status").GetString() == "OUTREACH_CASE_STATUS_OPEN")
                .GetProperty("memberId").GetString();
            await Post(http, $"/v1/communities/dunhuang/outreach/{memberId}/assign", new { volunteerId = "dunhuang-v02", assignedBy = "dunhuang-admin" });
            queueBefore = (await Get(http, "/v1/communities/dunhuang/at-risk?page_size=1000")).GetRawText();
            caseBefore = (await Get(http, $"/v1/communities/dunhuang/outreach/{memberId}")).GetRawText();
            assignmentsBefore = (await Get(http, "/v1/volunteers/dunhuang-v02/assignments")).GetRawText();
            await silo.KillAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_dataDirectory))
        {
            using var http = Client(silo);
            var caseAfter = await Get(http, $"/v1/communities/dunhuang/outreach/{JsonDocument.Parse(caseBefore).RootElement.GetProperty("memberId").GetString()}");
            Assert.Equal(caseBefore, caseAfter.GetRawText());
            Assert.Equal(assignmentsBefore, (await Get(http, "/v1/volunteers/dunhuang-v02/assignments")).GetRawText());
            Assert.Equal(queueBefore, (await Get(http, "/v1/communities/dunhuang/at-risk?page_size=1000")).GetRawText());
        }
    }

    private static HttpClient Client(SiloProcess silo) => TestIdentityHandler.Client(silo.HttpBase);

    private static async Task<JsonElement> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> Post(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<string> FirstMissingLesson(HttpClient http, string memberId)
    {
        var season = (await Get(http, "/v1/seasons/current")).GetProperty("season");
        var done = (await Get(http, $"/v1/members/{memberId}/progress")).GetProperty("completedLessons")
            .EnumerateArray().Select(e => e.GetString()).ToHashSet();
        return season.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("lessonId").GetString()!).First(l => !done.Contains(l));
    }
}

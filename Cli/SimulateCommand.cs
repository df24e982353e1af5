using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Grpc.Core;
using ProgressGrains.Api.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProgressGrains.Cli;

internal sealed class SimulateSettings : GatewaySettings
{
    [CommandOption("--subdistrict <ID>")]
    [Description("Take members from every community of this subdistrict (default xietang, the demo's).")]
    public string Subdistrict { get; init; } = "xietang";

    [CommandOption("--community <ID>")]
    [Description("Take members from this community only.")]
    public string? Community { get; init; }

    [CommandOption("--members <N>")]
    [Description("How many members take part (default 30).")]
    public int Members { get; init; } = 30;

    [CommandOption("--seconds <N>")]
    [Description("How long to run (default 30).")]
    public int Seconds { get; init; } = 30;

    [CommandOption("--rate <N>")]
    [Description("Events per second (default 20).")]
    public int Rate { get; init; } = 20;

    [CommandOption("--concurrency <N>")]
    [Description("Calls in flight at most (default 8).")]
    public int Concurrency { get; init; } = 8;

    [CommandOption("--seed <N>")]
    [Description("Random seed, for a repeatable run.")]
    public int? Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (Members is < 1 or > 10_000 || Seconds is < 1 or > 86_400 || Rate is < 1 or > 10_000 || Concurrency is < 1 or > 512)
        {
            return ValidationResult.Error("--members 1..10000, --seconds 1..86400, --rate 1..10000, --concurrency 1..512.");
        }

        return base.Validate();
    }
}

/// <summary>
/// <c>simulate</c>: members sign in as the mini-program does (wx.login → /v1/auth/wechat; on a
/// development server the code is the openid, <c>demo-&lt;member id&gt;</c>) and complete lessons,
/// check in and take quizzes at the rate asked, each event with its own id. Ends with what was
/// acknowledged and how fast; exit 1 when any event failed.
/// </summary>
internal sealed class SimulateCommand : AsyncCommand<SimulateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SimulateSettings settings, CancellationToken cancellationToken)
    {
        using var channel = settings.Channel();
        var random = settings.Seed is { } seed ? new Random(seed) : new Random();
        var season = (await new SeasonService.SeasonServiceClient(channel).GetSeasonAsync(new GetSeasonRequest { SeasonId = "current" }, settings.Call(cancellationToken))).Season;
        var communities = settings.Community is { } one ? [one]
            : (await new SubdistrictService.SubdistrictServiceClient(channel).GetSubdistrictRollupAsync(
                new GetSubdistrictRollupRequest { SubdistrictId = settings.Subdistrict }, settings.Call(cancellationToken))).Communities.Select(c => c.CommunityId).ToList();
        var roster = new List<string>();
        foreach (var community in communities)
        {
            var page = await new CommunityService.CommunityServiceClient(channel).ListCommunityMembersAsync(
                new ListCommunityMembersRequest { CommunityId = community, PageSize = 1000 }, settings.Call(cancellationToken));
            roster.AddRange(page.Members.Select(m => m.MemberId));
        }

        if (roster.Count == 0)
        {
            Console.Error.WriteLine("error: no members to simulate: the communities' rosters are empty.");
            return 1;
        }

        // Members sign in until enough have; those whose WeChat account is on no roster are passed over.
        var auth = new AuthService.AuthServiceClient(channel);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var passedOver = 0;
        foreach (var member in roster.OrderBy(_ => random.Next()))
        {
            if (tokens.Count == settings.Members)
            {
                break;
            }

            try
            {
                var signIn = await auth.SignInWithWeChatAsync(new SignInWithWeChatRequest { Code = $"demo-{member}" },
                    deadline: DateTime.UtcNow.AddSeconds(settings.TimeoutSeconds), cancellationToken: cancellationToken);
                tokens[member] = signIn.AccessToken;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
            {
                passedOver++;
            }
        }

        if (tokens.Count == 0)
        {
            Console.Error.WriteLine("error: no member could sign in: simulate needs a development server (Auth:WeChat:Mode=Development) whose members have openids demo-<member id>, as the demo's do.");
            return 1;
        }

        if (passedOver > 0)
        {
            Console.WriteLine($"{passedOver} member(s) passed over: their WeChat account is on no roster.");
        }

        var chosen = tokens.Keys.ToList();

        var members = new MemberService.MemberServiceClient(channel);
        var total = settings.Rate * settings.Seconds;
        var failures = new ConcurrentDictionary<StatusCode, int>();
        var latencies = new ConcurrentBag<double>();
        var acknowledged = 0;
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"Simulating {chosen.Count} members", maxValue: total);
            using var gate = new SemaphoreSlim(settings.Concurrency);
            var running = new List<Task>();
            for (var i = 0; i < total; i++)
            {
                // Paced: event i is due at i / rate seconds.
                var due = TimeSpan.FromSeconds((double)i / settings.Rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }

                await gate.WaitAsync(cancellationToken);
                var member = chosen[random.Next(chosen.Count)];
                var kind = random.Next(10);
                var lesson = season.Lessons[random.Next(season.Lessons.Count)].LessonId;
                var site = season.Sites.Count > 0 ? season.Sites[random.Next(season.Sites.Count)].SiteId : null;
                var quiz = season.Quizzes.Count > 0 ? season.Quizzes[random.Next(season.Quizzes.Count)].QuizId : null;
                var score = random.Next(11);
                running.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var call = settings.Call(cancellationToken, tokens[member]);
                        var eventId = Guid.NewGuid().ToString();
                        if (kind < 5 || site is null)
                        {
                            await members.CompleteLessonAsync(new CompleteLessonRequest { MemberId = member, LessonId = lesson, EventId = eventId }, call);
                        }
                        else if (kind < 8 || quiz is null)
                        {
                            await members.CheckInAsync(new CheckInRequest { MemberId = member, SiteId = site, EventId = eventId }, call);
                        }
                        else
                        {
                            await members.RecordQuizAttemptAsync(new RecordQuizAttemptRequest { MemberId = member, QuizId = quiz, EventId = eventId, Score = score, MaxScore = 10 }, call);
                        }

                        Interlocked.Increment(ref acknowledged);
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    catch (RpcException ex)
                    {
                        failures.AddOrUpdate(ex.StatusCode, 1, (_, n) => n + 1);
                    }
                    finally
                    {
                        gate.Release();
                        task.Increment(1);
                        task.Description = $"Simulating {chosen.Count} members: {Volatile.Read(ref acknowledged)} acknowledged, {failures.Values.Sum()} failed";
                    }
                }, cancellationToken));
            }

            await Task.WhenAll(running);
        });

        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var failed = failures.Values.Sum();
        Console.WriteLine($"Sent {total} events from {chosen.Count} members in {clock.Elapsed.TotalSeconds:F1} s: {acknowledged} acknowledged ({acknowledged / clock.Elapsed.TotalSeconds:F1}/s), "
            + $"{failed} failed{(failed > 0 ? $" [{string.Join(", ", failures.Select(f => $"{f.Key} {f.Value}"))}]" : "")}; latency p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms.");
        return failed > 0 ? 1 : 0;
    }
}

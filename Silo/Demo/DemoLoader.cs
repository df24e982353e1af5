using System.Diagnostics;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts;

namespace ProgressGrains.Silo.Demo;

/// <summary>
/// Loads the demo once: the season, the five communities of Xietang, their members and some
/// activity. Runs after the silo has started and before the gateway takes requests; a data set
/// marker in the catalog makes later starts skip it.
/// </summary>
internal sealed partial class DemoLoader(IGrainFactory grains, IConfiguration configuration, ILogger<DemoLoader> logger) : IHostedService
{
    public const string DataSet = "demo:xietang:2023-2024:v3";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var catalog = grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog);
        if (await catalog.HasDataSet(DataSet))
        {
            LogAlreadyLoaded(logger);
            PrintHints();
            return;
        }

        // Several silos of a cluster may start with --demo at once: one loads, the others serve.
        if (!await catalog.TryClaimDataSet(DataSet, TimeSpan.FromMinutes(5)))
        {
            LogLoadedElsewhere(logger);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        await catalog.UpsertSeason(DemoSeason.Season, makeCurrent: true);
        var members = 0;
        var events = 0;
        foreach (var community in DemoSeason.Communities)
        {
            var grain = grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community.CommunityId));
            await grain.Define(community);
            var profiles = DemoRoster.Members(community).ToArray();
            await grain.Enroll([.. profiles.Select(p => new RosterEntry(p.MemberId, p.Name, p.GridId, p.Flags))]);
            await grain.RegisterVolunteers([.. DemoRoster.Volunteers(community)]);
            await Parallel.ForEachAsync(profiles, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (profile, ct) =>
                {
                    var member = grains.GetGrain<IMemberGrain>(GrainKeys.Member(profile.MemberId));
                    await member.Enroll(profile);
                    if (profile.Flags.HasFlag(MemberFlags.Housebound))
                    {
                        // 送学上门: a squad volunteer is assigned before delivering lessons at home.
                        await grain.AssignOutreach(profile.MemberId, $"{community.CommunityId}-v01", $"{community.CommunityId}-admin", DemoSeason.SeasonId);
                    }

                    foreach (var lesson in DemoRoster.Lessons(profile))
                    {
                        await member.CompleteLesson(lesson, ct);
                        Interlocked.Increment(ref events);
                    }

                    foreach (var checkIn in DemoRoster.CheckIns(profile))
                    {
                        await member.CheckIn(checkIn, ct);
                        Interlocked.Increment(ref events);
                    }

                    foreach (var attempt in DemoRoster.QuizAttempts(profile))
                    {
                        await member.AttemptQuiz(attempt, ct);
                        Interlocked.Increment(ref events);
                    }

                    foreach (var service in DemoRoster.Volunteering(profile))
                    {
                        await member.Volunteer(service, ct);
                        Interlocked.Increment(ref events);
                    }

                    if (DemoRoster.Reflection(profile) is var (reflection, decision))
                    {
                        await member.SubmitReflection(reflection, ct);
                        Interlocked.Increment(ref events);
                        if (decision is not null)
                        {
                            await member.ModerateReflection(decision, ct);
                            Interlocked.Increment(ref events);
                        }
                    }
                });
            members += profiles.Length;
        }

        await catalog.MarkDataSet(DataSet);
        LogLoaded(logger, DemoSeason.SeasonId, DemoSeason.Communities.Count, members, events, stopwatch.Elapsed.TotalSeconds);
        PrintHints();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void PrintHints()
    {
        var http = configuration["Kestrel:Endpoints:Http:Url"];
        Console.WriteLine($"""
            Demo ready: season {DemoSeason.SeasonId}, subdistrict {DemoSeason.SubdistrictId}, communities {string.Join(", ", DemoSeason.Communities.Select(c => c.CommunityId))}.
              curl {http}/v1/seasons/current
              curl {http}/v1/communities/wenhua/rollup
              curl {http}/v1/members/wenhua-0001/progress
            """);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo was loaded before; nothing to do")]
    private static partial void LogAlreadyLoaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another silo of the cluster is loading the demo")]
    private static partial void LogLoadedElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the demo: season {SeasonId}, {Communities} communities, {Members} members, {Events} events in {Seconds:F1} s")]
    private static partial void LogLoaded(ILogger logger, string seasonId, int communities, int members, int events, double seconds);
}

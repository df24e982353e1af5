using System.Diagnostics;
using System.Globalization;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Silo.Demo;

/// <summary>
/// Loads the demo once: the season, the five communities of Xietang, their members and some
/// activity. Runs after the silo has started and before the gateway takes requests; a data set
/// marker in the catalog makes later starts skip it.
/// </summary>
internal sealed partial class DemoLoader(IGrainFactory grains, IConfiguration configuration, TokenIssuer tokens, ILogger<DemoLoader> logger) : IHostedService
{
    public const string DataSet = "demo:xietang:2023-2024:v4";

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
            PrintHints();
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
            await grain.Enroll([.. profiles.Select(p => new RosterEntry(p.MemberId, p.Name, p.GridId, p.Flags, p.BirthYear))]);
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

    /// <summary>One development token per role (for the demo's first community), and what to try with them.</summary>
    public static IEnumerable<(string Role, string Scope, TokenRequest Request)> DemoIdentities()
    {
        var community = DemoSeason.Communities[0].CommunityId;
        var subdistrict = DemoSeason.SubdistrictId;
        yield return (Roles.Member, $"{community}-0001", new TokenRequest([Roles.Member], MemberId: $"{community}-0001"));
        yield return (Roles.Volunteer, $"{community}-v01", new TokenRequest([Roles.Volunteer], VolunteerId: $"{community}-v01", CommunityId: community));
        yield return (Roles.CommunityAdmin, community, new TokenRequest([Roles.CommunityAdmin], CommunityId: community));
        yield return (Roles.SubdistrictAdmin, subdistrict, new TokenRequest([Roles.SubdistrictAdmin], SubdistrictId: subdistrict));
        yield return (Roles.Analyst, subdistrict, new TokenRequest([Roles.Analyst], SubdistrictId: subdistrict));
        yield return (Roles.Operator, "", new TokenRequest([Roles.Operator]));
    }

    private void PrintHints()
    {
        var http = configuration["Kestrel:Endpoints:Http:Url"];
        var lines = new System.Text.StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture, $"Demo ready: season {DemoSeason.SeasonId}, subdistrict {DemoSeason.SubdistrictId}, communities {string.Join(", ", DemoSeason.Communities.Select(c => c.CommunityId))}.");
        lines.AppendLine("Development tokens, one per role (valid 24 h; `dotnet run --project Silo -- token --role ROLE ...` makes more):");
        foreach (var (role, scope, request) in DemoIdentities())
        {
            var issued = tokens.Issue(request with { Lifetime = TimeSpan.FromHours(24) });
            lines.AppendLine(CultureInfo.InvariantCulture, $"  token {role,-17} {scope,-12} {issued.Token}");
        }

        var staff = tokens.Issue(new TokenRequest([Roles.SubdistrictAdmin], SubdistrictId: DemoSeason.SubdistrictId, Lifetime: TimeSpan.FromHours(24)));
        lines.AppendLine(CultureInfo.InvariantCulture, $"Portal (signed in as the subdistrict's admin): {http}/#token={staff.Token}");
        lines.AppendLine("Try (with the member's token in $TOKEN):");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  curl -H \"Authorization: Bearer $TOKEN\" {http}/v1/members/{DemoSeason.Communities[0].CommunityId}-0001/progress");
        Console.Write(lines.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo was loaded before; nothing to do")]
    private static partial void LogAlreadyLoaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another silo of the cluster is loading the demo")]
    private static partial void LogLoadedElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the demo: season {SeasonId}, {Communities} communities, {Members} members, {Events} events in {Seconds:F1} s")]
    private static partial void LogLoaded(ILogger logger, string seasonId, int communities, int members, int events, double seconds);
}

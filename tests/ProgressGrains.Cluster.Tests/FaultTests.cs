using System.Globalization;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Cluster.Tests;

/// <summary>
/// A cluster on PostgreSQL under load while something fails: a silo killed with SIGKILL, or
/// PostgreSQL stopped and started again. Membership keeps its production defaults here (shortened
/// timings starve the health monitors under load). Each test prints its numbers as "FAULT:" lines.
/// </summary>
public sealed class FaultTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    private static readonly string[] Communities = ["wenhua", "jinyan", "heyun", "dunhuang", "lianfeng"];

    private static IEnumerable<string> DemoMembers =>
        Communities.SelectMany(c => Enumerable.Range(1, 60).Select(i => $"{c}-{i:D4}"));

    [Fact]
    public async Task KillingOneOfThreeSilosMidLoad_LosesNothingAcknowledged_AndRollupsEqualARecount()
    {
        using var directory = new TempDirectory();
        var work = directory.Path;
        var database = await postgres.CreateDatabaseAsync();
        string[] cluster = ["--Storage:Provider=PostgreSQL", $"--ConnectionStrings:Progress={database}"];
        await using var first = await SiloProcess.StartAsync(work, demo: true, cluster);
        var others = await Task.WhenAll(SiloProcess.StartAsync(work, false, cluster), SiloProcess.StartAsync(work, false, cluster));
        await using var second = others[0];
        await using var third = others[1];
        await using var gateway = await SiloProcess.StartGatewayAsync(first.OrleansGatewayPort, work, cluster);
        using var channel = ClientRetry.Channel(gateway.GrpcBase);
        var members = new MemberService.MemberServiceClient(TestIdentityInterceptor.Wrap(channel));
        var load = new CheckInLoad(members);
        var plan = CheckInLoad.Plan(DemoMembers, daysEach: 10);

        var running = await load.StartAndRunToAThirdAsync(plan, concurrency: 16, perEventLimit: TimeSpan.FromSeconds(120));

        var killedAt = load.Now;
        var acknowledgedAtKill = load.Acknowledged;
        await second.KillAsync();
        await running;

        var found = await ClusterVerification.AcknowledgedEventsAreStoredOnce(members, load.AcknowledgedEvents);
        await ClusterVerification.RollupsEqualRecount(new CommunityService.CommunityServiceClient(TestIdentityInterceptor.Wrap(channel)), members, Communities);
        var recovery = load.LastFailureAt is { } last && last > killedAt ? (last - killedAt).TotalSeconds : 0;
        var (commits, writes) = await StorageCommits(first);
        Report("kill -9 one of 3 silos", plan.Count, load, found,
            $"killed after {acknowledgedAtKill} acknowledged; recovery seconds (kill to last failed attempt): {recovery:F1}; "
            + $"surviving silo's group commit: {writes} writes in {commits} commits");
        Assert.Equal(plan.Count, load.Acknowledged);
        Assert.Equal(plan.Count, found);
        // The writes went through group commit, the PostgreSQL default.
        Assert.True(commits > 0 && writes >= commits, $"group commit: {writes} writes in {commits} commits");
    }

    [Fact]
    public async Task PostgresStoppedMidLoad_ClientsSeeOnlyUnavailable_NothingIsLost_AndTheClusterRecovers()
    {
        using var directory = new TempDirectory();
        var work = directory.Path;
        await using var database = await PrivatePostgres.StartAsync();
        string[] cluster = ["--Storage:Provider=PostgreSQL", $"--ConnectionStrings:Progress={database.ConnectionString}"];
        await using var first = await SiloProcess.StartAsync(work, demo: true, cluster);
        await using var second = await SiloProcess.StartAsync(work, false, cluster);
        using var channel = ClientRetry.Channel(first.GrpcBase);
        var members = new MemberService.MemberServiceClient(TestIdentityInterceptor.Wrap(channel));
        var load = new CheckInLoad(members);
        var plan = CheckInLoad.Plan(DemoMembers, daysEach: 6);

        var running = await load.StartAndRunToAThirdAsync(plan, concurrency: 16, perEventLimit: TimeSpan.FromSeconds(120));

        var stoppedAt = load.Now;
        await database.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await database.RestartAsync();
        var restartedAt = load.Now;
        await running;

        var found = await ClusterVerification.AcknowledgedEventsAreStoredOnce(members, load.AcknowledgedEvents);
        await ClusterVerification.RollupsEqualRecount(new CommunityService.CommunityServiceClient(TestIdentityInterceptor.Wrap(channel)), members, Communities);
        var recovery = load.LastFailureAt is { } last && last > restartedAt ? (last - restartedAt).TotalSeconds : 0;
        Report("PostgreSQL stopped 5 s", plan.Count, load, found,
            $"stopped at {stoppedAt.TotalSeconds:F1} s; recovery seconds (restart to last failed attempt): {recovery:F1}");
        Assert.Equal(plan.Count, found);
        Assert.True(load.Failures.ContainsKey(StatusCode.Unavailable), "clients should have seen Unavailable while PostgreSQL was down");
        Assert.All(load.Failures.Keys, code => Assert.Contains(code, new[] { StatusCode.Unavailable, StatusCode.DeadlineExceeded }));
    }

    /// <summary>Commits and writes of the silo's group-commit storage, from its Prometheus scrape.</summary>
    private static async Task<(long Commits, long Writes)> StorageCommits(SiloProcess silo)
    {
        using var http = new HttpClient { BaseAddress = silo.HttpBase };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For("operator"));
        var scrape = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        long Sum(string name) => scrape.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is ' ' or '{'))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Sum("progress_storage_batch_size_count"), Sum("progress_storage_batch_size_sum"));
    }

    private static void Report(string fault, int sent, CheckInLoad load, int found, string detail)
    {
        var failures = string.Join(", ", load.Failures.Select(f => $"{f.Key} {f.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FAULT: {fault}: events sent {sent}, acknowledged {load.Acknowledged}, found {found}, duplicates {load.Duplicates}, "
            + $"failed attempts [{(failures.Length == 0 ? "none" : failures)}]; {detail}"));
    }
}

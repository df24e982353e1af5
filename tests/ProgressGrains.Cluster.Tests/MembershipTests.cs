using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Cluster.Tests;

/// <summary>The failure-detection settings for tests (not for load), measured on a quiet cluster.</summary>
public sealed class MembershipTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    public static readonly string[] FastFailureDetection =
    [
        "--Orleans:Membership:ProbeTimeout=00:00:01",
        "--Orleans:Membership:NumMissedProbesLimit=2",
        "--Orleans:Membership:NumVotesForDeathDeclaration=1",
        "--Orleans:Membership:TableRefreshTimeout=00:00:02",
    ];

    [Fact]
    public async Task WithFastSettings_AKilledSiloIsDeclaredDeadWithinSeconds_AndItsGrainsAreServedAgain()
    {
        using var directory = new TempDirectory();
        var database = await postgres.CreateDatabaseAsync();
        string[] cluster = ["--Storage:Provider=PostgreSQL", $"--ConnectionStrings:Progress={database}", .. FastFailureDetection];
        await using var survivor = await SiloProcess.StartAsync(directory.Path, demo: true, cluster);
        await using var victim = await SiloProcess.StartAsync(directory.Path, false, cluster);
        using var channel = ClientRetry.Channel(survivor.GrpcBase);
        var members = new MemberService.MemberServiceClient(TestIdentityInterceptor.Wrap(channel));
        var ids = Enumerable.Range(1, 60).Select(i => $"wenhua-{i:D4}").ToArray();
        foreach (var id in ids)
        {
            // Activate members across both silos.
            await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = id }, deadline: DateTime.UtcNow.AddSeconds(30));
        }

        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        var declaredDead = await WaitUntil(() => DeadSilos(database), n => n >= 1, TimeSpan.FromSeconds(30));
        foreach (var id in ids)
        {
            var reply = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = id }, deadline: DateTime.UtcNow.AddSeconds(30));
            Assert.Equal(id, reply.MemberId);
        }

        var servedAgain = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FAULT: kill -9 one of 2 silos with fast membership settings, no load: declared dead after {declaredDead.TotalSeconds:F1} s, all 60 members served again after {servedAgain.TotalSeconds:F1} s"));
        Assert.True(declaredDead < TimeSpan.FromSeconds(10), $"declared dead only after {declaredDead}");
    }

    private static async Task<long> DeadSilos(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM OrleansMembershipTable WHERE Status = 6", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<TimeSpan> WaitUntil(Func<Task<long>> probe, Func<long, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (done(await probe()))
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not done within {limit}");
    }
}

using System.Data;
using System.Globalization;
using Npgsql;
using ProgressGrains.Silo.Storage;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>
/// The membership and reminder statements the project gives Orleans 10.4.2 on PostgreSQL, called
/// the way Orleans calls them (bare parameter names, UTC DateTimes bound as DbType.DateTime).
/// </summary>
public sealed class PostgresClusterContractTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    private const string ClusterId = "test-cluster";
    private static readonly DateTime Now = new(2026, 11, 30, 4, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task MembershipVersionRow_IsCreatedOnce()
    {
        var db = await MigratedAsync();

        Assert.True(await Bool(db, "InsertMembershipVersionKey", Deployment()));
        Assert.False(await Bool(db, "InsertMembershipVersionKey", Deployment()));
        var rows = await ReadAll(db);
        var row = Assert.Single(rows);
        Assert.Equal(0, row.Version);
        Assert.Null(row.Address);
    }

    [Fact]
    public async Task InsertMembership_OnlyAtTheExpectedVersion_AndOnlyOnce_ChangingNothingWhenRefused()
    {
        var db = await MigratedAsync();
        await Bool(db, "InsertMembershipVersionKey", Deployment());

        Assert.True(await Bool(db, "InsertMembershipKey", Silo(11111, version: 0)));
        Assert.False(await Bool(db, "InsertMembershipKey", Silo(11112, version: 0)));  // stale version
        Assert.False(await Bool(db, "InsertMembershipKey", Silo(11111, version: 1)));  // already there

        var rows = await ReadAll(db);
        var row = Assert.Single(rows);
        Assert.Equal((11111, 1), (row.Port, row.Version));
        Assert.Equal(Now, row.StartTime);
    }

    [Fact]
    public async Task UpdateMembership_AtTheExpectedVersion_BumpsIt_OtherwiseChangesNothing()
    {
        var db = await MigratedAsync();
        await Bool(db, "InsertMembershipVersionKey", Deployment());
        await Bool(db, "InsertMembershipKey", Silo(11111, version: 0));

        Assert.True(await Bool(db, "UpdateMembershipKey", Update(11111, status: 6, suspect: "127.0.0.1:11112@1,2026-11-30 04:00:00.000 GMT", version: 1)));
        Assert.False(await Bool(db, "UpdateMembershipKey", Update(11111, status: 3, suspect: null, version: 1)));
        Assert.False(await Bool(db, "UpdateMembershipKey", Update(22222, status: 3, suspect: null, version: 2))); // no such silo

        var row = Assert.Single(await ReadAll(db));
        Assert.Equal((6, 2), (row.Status, row.Version));
    }

    [Fact]
    public async Task Gateways_AreTheActiveSilosThatAcceptClients()
    {
        var db = await MigratedAsync();
        await Bool(db, "InsertMembershipVersionKey", Deployment());
        await Bool(db, "InsertMembershipKey", Silo(11111, version: 0, status: 3));
        await Bool(db, "InsertMembershipKey", Silo(11112, version: 1, status: 6));

        var gateways = await Rows(db, "GatewaysQueryKey", [.. Deployment(), ("Status", 3, DbType.Int32)], r => r.GetInt32(r.GetOrdinal("ProxyPort")));

        Assert.Equal([30000 + 11111 % 100], gateways);
    }

    [Fact]
    public async Task Reminders_UpsertVersionsRangesAndConditionalDelete()
    {
        var db = await MigratedAsync();
        (string, object?, DbType)[] Reminder(string grain, int hash, long period) =>
        [
            ("ServiceId", "svc", DbType.String), ("GrainId", grain, DbType.AnsiString), ("ReminderName", "daily", DbType.String),
            ("StartTime", Now, DbType.DateTime), ("Period", period, DbType.Int64), ("GrainHash", hash, DbType.Int32),
        ];

        var first = await Rows(db, "UpsertReminderRowKey", Reminder("member/a", -5, 60_000), r => r.GetInt32(r.GetOrdinal("Version")));
        var second = await Rows(db, "UpsertReminderRowKey", Reminder("member/a", -5, 86_400_000L * 30), r => r.GetInt32(r.GetOrdinal("Version")));
        await Rows(db, "UpsertReminderRowKey", Reminder("member/b", 100, 60_000), r => r.GetInt32(0));

        Assert.Equal([0], first);
        Assert.Equal([1], second);
        var range1 = await Range(db, "ReadRangeRows1Key", -10, 50);
        var range2 = await Range(db, "ReadRangeRows2Key", 50, -10);
        var ring = await Range(db, "ReadRangeRows2Key", 0, 0);
        Assert.Equal(["member/a"], range1);
        Assert.Equal(["member/b"], range2);  // (50, -10] wraps: above 50 or at most -10
        Assert.Equal(["member/a", "member/b"], ring);
        var period = await Rows(db, "ReadReminderRowKey",
            [("ServiceId", "svc", DbType.String), ("GrainId", "member/a", DbType.AnsiString), ("ReminderName", "daily", DbType.String)],
            r => r.GetInt64(r.GetOrdinal("Period")));
        Assert.Equal([86_400_000L * 30], period);

        (string, object?, DbType)[] Delete(int version) =>
            [("ServiceId", "svc", DbType.String), ("GrainId", "member/a", DbType.AnsiString), ("ReminderName", "daily", DbType.String), ("Version", version, DbType.Int32)];
        Assert.False(await Bool(db, "DeleteReminderRowKey", Delete(0)));
        Assert.True(await Bool(db, "DeleteReminderRowKey", Delete(1)));
    }

    private async Task<string> MigratedAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(new StorageSettings(StorageSettings.PostgreSql, connectionString, null));
        return connectionString;
    }

    private static (string, object?, DbType)[] Deployment() => [("DeploymentId", ClusterId, DbType.String)];

    private static (string, object?, DbType)[] Silo(int port, int version, int status = 3) =>
    [
        .. Deployment(), ("Address", "127.0.0.1", DbType.AnsiString), ("Port", port, DbType.Int32), ("Generation", 1, DbType.Int32),
        ("SiloName", $"silo-{port}", DbType.String), ("HostName", "localhost", DbType.String), ("Status", status, DbType.Int32),
        ("ProxyPort", 30000 + port % 100, DbType.Int32), ("StartTime", Now, DbType.DateTime), ("IAmAliveTime", Now, DbType.DateTime),
        ("Version", version, DbType.Int32),
    ];

    private static (string, object?, DbType)[] Update(int port, int status, string? suspect, int version) =>
    [
        .. Deployment(), ("Address", "127.0.0.1", DbType.AnsiString), ("Port", port, DbType.Int32), ("Generation", 1, DbType.Int32),
        ("IAmAliveTime", Now.AddSeconds(5), DbType.DateTime), ("Status", status, DbType.Int32), ("SuspectTimes", suspect, DbType.String),
        ("Version", version, DbType.Int32),
    ];

    private sealed record Member(string? Address, int? Port, int? Status, DateTime? StartTime, int Version);

    private static Task<List<Member>> ReadAll(string db) => Rows(db, "MembershipReadAllKey", Deployment(), r => new Member(
        r.IsDBNull(r.GetOrdinal("Address")) ? null : r.GetString(r.GetOrdinal("Address")),
        r.IsDBNull(r.GetOrdinal("Port")) ? null : r.GetInt32(r.GetOrdinal("Port")),
        r.IsDBNull(r.GetOrdinal("Status")) ? null : r.GetInt32(r.GetOrdinal("Status")),
        r.IsDBNull(r.GetOrdinal("StartTime")) ? null : r.GetDateTime(r.GetOrdinal("StartTime")).ToUniversalTime(),
        Convert.ToInt32(r.GetValue(r.GetOrdinal("Version")), CultureInfo.InvariantCulture)));

    private static Task<List<string>> Range(string db, string key, int begin, int end) =>
        Rows(db, key, [("ServiceId", "svc", DbType.String), ("BeginHash", begin, DbType.Int32), ("EndHash", end, DbType.Int32)],
            r => r.GetString(r.GetOrdinal("GrainId"))).ContinueWith(t => t.Result.Order(StringComparer.Ordinal).ToList(), TaskScheduler.Default);

    private static async Task<bool> Bool(string db, string key, (string, object?, DbType)[] parameters)
    {
        var rows = await Rows(db, key, parameters, r =>
        {
            Assert.Equal(1, r.FieldCount);
            return Convert.ToBoolean(r.GetValue(0), CultureInfo.InvariantCulture);
        });
        return Assert.Single(rows);
    }

    private static async Task<List<T>> Rows<T>(string db, string key, (string Name, object? Value, DbType Type)[] parameters, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        string sql;
        await using (var lookup = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection))
        {
            lookup.Parameters.AddWithValue("key", key);
            sql = (string)(await lookup.ExecuteScalarAsync())!;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { ParameterName = name, Value = value ?? DBNull.Value, DbType = type });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                rows.Add(read(reader));
            }
        }
        while (await reader.NextResultAsync());

        return rows;
    }
}

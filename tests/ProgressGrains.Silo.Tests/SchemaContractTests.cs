using System.Data.Common;
using System.Globalization;
using ProgressGrains.Silo.Storage;

namespace ProgressGrains.Silo.Tests;

/// <summary>
/// The project's schema and the statements it gives Orleans' ADO.NET persistence provider, run
/// against a real database with the parameters Orleans binds.
/// </summary>
public abstract class SchemaContractTests
{
    protected abstract Task<StorageSettings> NewStoreAsync();

    [Fact]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        var store = await NewStoreAsync();

        var first = await SchemaMigrator.MigrateAsync(store);
        var second = await SchemaMigrator.MigrateAsync(store);

        Assert.NotEmpty(first.AppliedScripts);
        Assert.True(first.QueriesChanged >= 3);
        Assert.Empty(second.AppliedScripts);
        Assert.Equal(0, second.QueriesChanged);
        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
    }

    [Fact]
    public async Task Migrate_ManyAtOnce_AllSucceedAndApplyOnce()
    {
        var store = await NewStoreAsync();

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(store))));

        Assert.Single(reports, r => r.AppliedScripts.Count > 0);
        Assert.All(reports, r => Assert.Equal(reports[0].SchemaVersion, r.SchemaVersion));
    }

    [Fact]
    public async Task FirstWriteThenUpdates_FollowOptimisticVersions()
    {
        var store = await MigratedStoreAsync();

        var first = await Write(store, version: null, payload: [1]);
        var second = await Write(store, version: null, payload: [2]);
        var update = await Write(store, version: 1, payload: [3]);
        var stale = await Write(store, version: 1, payload: [4]);

        Assert.Equal(1L, first);
        Assert.Null(second);
        Assert.Equal(2L, update);
        Assert.Equal(1L, stale);
        var (storedVersion, storedPayload) = await ReadRow(store);
        Assert.Equal(2L, storedVersion);
        Assert.Equal([3], storedPayload);
    }

    [Fact]
    public async Task ConcurrentFirstWritesOfOneGrain_ExactlyOneInserts()
    {
        var store = await MigratedStoreAsync();

        for (var round = 0; round < 10; round++)
        {
            var key = $"race-{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Write(store, null, [(byte)i], key))));

            Assert.Single(results, r => r == 1L);
            Assert.Equal(7, results.Count(r => r is null));
            Assert.Equal(1L, await Scalar(store, $"SELECT COUNT(*) FROM OrleansStorage WHERE GrainIdExtensionString = '{key}'"));
        }
    }

    [Fact]
    public async Task WriteWithAVersion_WhenNoRowExists_InsertsNothing()
    {
        var store = await MigratedStoreAsync();

        var result = await Write(store, version: 5, payload: [1]);

        Assert.Equal(5L, result);
        Assert.Equal(0L, await Scalar(store, "SELECT COUNT(*) FROM OrleansStorage"));
    }

    [Fact]
    public async Task Clear_KeepsCountingVersions()
    {
        var store = await MigratedStoreAsync();
        await Write(store, version: null, payload: [1]);

        var cleared = await Run(store, "ClearStorageKey", version: 1, payload: null);
        var staleClear = await Run(store, "ClearStorageKey", version: 1, payload: null);

        Assert.Equal(2L, cleared);
        Assert.Equal(1L, staleClear);
        Assert.Equal(3L, await Write(store, version: 2, payload: [9]));
    }

    private async Task<StorageSettings> MigratedStoreAsync()
    {
        var store = await NewStoreAsync();
        await SchemaMigrator.MigrateAsync(store);
        return store;
    }

    private static Task<long?> Write(StorageSettings store, int? version, byte[] payload, string key = "wenhua-0001") =>
        Run(store, "WriteToStorageKey", version, payload, key);

    private static async Task<long?> Run(StorageSettings store, string queryKey, int? version, byte[]? payload, string key = "wenhua-0001")
    {
        var sql = (string)(await Scalar(store, $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{queryKey}'"))!;
        await using var connection = await Open(store);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddKey(command, key);
        Add(command, "GrainStateVersion", version);
        if (payload is not null)
        {
            Add(command, "PayloadBinary", payload);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? null : Convert.ToInt64(result, CultureInfo.InvariantCulture);
    }

    private static async Task<(long Version, byte[] Payload)> ReadRow(StorageSettings store)
    {
        var sql = (string)(await Scalar(store, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"))!;
        await using var connection = await Open(store);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddKey(command, "wenhua-0001");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = (Convert.ToInt64(reader.GetValue(reader.GetOrdinal("Version")), CultureInfo.InvariantCulture),
            (byte[])reader.GetValue(reader.GetOrdinal("PayloadBinary")));
        Assert.False(await reader.ReadAsync());
        return row;
    }

    private static async Task<object?> Scalar(StorageSettings store, string sql)
    {
        await using var connection = await Open(store);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is long or int ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value;
    }

    private static async Task<DbConnection> Open(StorageSettings store)
    {
        var connection = store.Factory.CreateConnection()!;
        connection.ConnectionString = store.ConnectionString;
        await connection.OpenAsync();
        return connection;
    }

    private static void AddKey(DbCommand command, string key)
    {
        // The parameters Orleans binds; the hashes are bound too, and not used by this schema.
        Add(command, "GrainIdHash", 123);
        Add(command, "GrainIdN0", 0L);
        Add(command, "GrainIdN1", 0L);
        Add(command, "GrainTypeHash", 456);
        Add(command, "GrainTypeString", "member");
        Add(command, "GrainIdExtensionString", key);
        Add(command, "ServiceId", "test");
    }

    private static void Add<T>(DbCommand command, string name, T value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (object?)value ?? DBNull.Value;
        if (value is null && typeof(T) == typeof(int?))
        {
            parameter.DbType = System.Data.DbType.Int32;
        }

        command.Parameters.Add(parameter);
    }
}

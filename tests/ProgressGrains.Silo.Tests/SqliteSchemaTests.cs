using Microsoft.Data.Sqlite;
using ProgressGrains.Silo.Storage;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>The project's SQLite schema and the statements it gives Orleans' ADO.NET provider.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _directory = SiloProcess.NewDataDirectory();

    private string ConnectionString => new StorageSettings(StorageSettings.Sqlite, _directory).ConnectionString;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        var first = await SqliteSchema.MigrateAsync(ConnectionString);
        var second = await SqliteSchema.MigrateAsync(ConnectionString);

        Assert.NotEmpty(first.AppliedScripts);
        Assert.Equal(3, first.QueriesChanged);
        Assert.Empty(second.AppliedScripts);
        Assert.Equal(0, second.QueriesChanged);
        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
    }

    [Fact]
    public async Task MigrateCommand_ReportsTheSchemaVersionAndExitsZero()
    {
        var (exitCode, output) = await SiloProcess.RunAsync(_directory, "migrate", $"--Storage:DataDirectory={_directory}");
        var (again, outputAgain) = await SiloProcess.RunAsync(_directory, "migrate", $"--Storage:DataDirectory={_directory}");

        Assert.Equal(0, exitCode);
        Assert.Contains("1 script(s) applied now", output);
        Assert.Equal(0, again);
        Assert.Contains("0 script(s) applied now", outputAgain);
    }

    [Fact]
    public async Task TwoFirstWritesOfOneGrain_OnlyOneInserts()
    {
        await SqliteSchema.MigrateAsync(ConnectionString);

        var first = await Write(version: null, payload: [1]);
        var second = await Write(version: null, payload: [2]);
        var update = await Write(version: 1, payload: [3]);
        var stale = await Write(version: 1, payload: [4]);

        Assert.Equal(1L, first);
        Assert.Null(second);
        Assert.Equal(2L, update);
        Assert.Equal(1L, stale);
        var (storedVersion, storedPayload) = await ReadRow();
        Assert.Equal(2L, storedVersion);
        Assert.Equal([3], storedPayload);
    }

    [Fact]
    public async Task WriteWithAVersion_WhenNoRowExists_InsertsNothing()
    {
        await SqliteSchema.MigrateAsync(ConnectionString);

        var result = await Write(version: 5, payload: [1]);

        Assert.Equal(5L, result);
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM OrleansStorage"));
    }

    private async Task<long?> Write(int? version, byte[] payload)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        var sql = (string)(await Scalar("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'"))!;
        await using var command = new SqliteCommand(sql, connection);
        AddKey(command);
        command.Parameters.AddWithValue("@GrainStateVersion", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("@PayloadBinary", payload);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(long Version, byte[] Payload)> ReadRow()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        var sql = (string)(await Scalar("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"))!;
        await using var command = new SqliteCommand(sql, connection);
        AddKey(command);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = (reader.GetInt64(1), (byte[])reader.GetValue(0));
        Assert.False(await reader.ReadAsync());
        return row;
    }

    private async Task<object?> Scalar(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static void AddKey(SqliteCommand command)
    {
        // The parameters Orleans passes; the hashes are passed too, and ignored by this schema.
        command.Parameters.AddWithValue("@GrainIdHash", 123);
        command.Parameters.AddWithValue("@GrainIdN0", 0L);
        command.Parameters.AddWithValue("@GrainIdN1", 0L);
        command.Parameters.AddWithValue("@GrainTypeHash", 456);
        command.Parameters.AddWithValue("@GrainTypeString", "member");
        command.Parameters.AddWithValue("@GrainIdExtensionString", "wenhua-0001");
        command.Parameters.AddWithValue("@ServiceId", "test");
    }
}

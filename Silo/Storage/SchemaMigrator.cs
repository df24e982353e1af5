using System.Data.Common;
using System.Globalization;

namespace ProgressGrains.Silo.Storage;

/// <summary>
/// Applies the project's schema for the configured store: numbered scripts once each (recorded in
/// <c>SchemaVersions</c>), then the Orleans provider statements into <c>OrleansQuery</c>. Safe to
/// run any number of times, also by several processes at once: one transaction, serialised by a
/// write lock (SQLite) or an advisory lock (PostgreSQL).
/// </summary>
public static class SchemaMigrator
{
    // Any fixed number: the advisory lock every migrator of this project takes.
    private const long AdvisoryLockKey = 7_260_145_023;

    public static async Task<MigrationReport> MigrateAsync(StorageSettings storage, CancellationToken cancellationToken = default)
    {
        if (storage.DataDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = storage.Factory.CreateConnection()!;
        connection.ConnectionString = storage.ConnectionString;
        await connection.OpenAsync(cancellationToken);
        if (!storage.IsPostgreSql)
        {
            // WAL lets readers run beside the writer; the setting is kept in the database file.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (storage.IsPostgreSql)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey});", cancellationToken);
        }

        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS SchemaVersions (Version integer NOT NULL PRIMARY KEY, Name varchar(200) NOT NULL, AppliedAt varchar(40) NOT NULL);",
            cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = Command(connection, transaction, "SELECT Version FROM SchemaVersions;"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        var folder = $"schema/{storage.Provider}/";
        var newlyApplied = new List<string>();
        foreach (var (version, name) in SchemaResources.Scripts(folder))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, SchemaResources.Read(folder + name), cancellationToken);
            await using var record = Command(connection, transaction,
                "INSERT INTO SchemaVersions (Version, Name, AppliedAt) VALUES (@version, @name, @appliedAt);");
            AddParameter(record, "version", version);
            AddParameter(record, "name", name);
            AddParameter(record, "appliedAt", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(name);
        }

        var queriesChanged = 0;
        foreach (var (key, resource) in SchemaResources.Queries(folder))
        {
            await using var upsert = Command(connection, transaction,
                """
                INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text)
                ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText WHERE OrleansQuery.QueryText <> excluded.QueryText;
                """);
            AddParameter(upsert, "key", key);
            AddParameter(upsert, "text", SchemaResources.Read(resource));
            queriesChanged += await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new MigrationReport(newlyApplied, queriesChanged, applied.Count + newlyApplied.Count);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>What a migration did.</summary>
public sealed record MigrationReport(IReadOnlyList<string> AppliedScripts, int QueriesChanged, int SchemaVersion);

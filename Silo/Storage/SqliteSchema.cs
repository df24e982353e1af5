using System.Reflection;
using Microsoft.Data.Sqlite;

namespace ProgressGrains.Silo.Storage;

/// <summary>
/// Applies the project's SQLite schema: numbered scripts once each (recorded in
/// <c>SchemaVersions</c>), then the Orleans provider statements into <c>OrleansQuery</c>. Safe to
/// run any number of times, also by several processes at once (one transaction, taken for writing).
/// </summary>
public static class SqliteSchema
{
    private const string ScriptPrefix = "schema/Sqlite/";
    private const string QueryPrefix = "schema/Sqlite/queries/";

    public static async Task<MigrationReport> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL lets readers run beside the writer; the setting is kept in the database file.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS SchemaVersions (Version INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL, AppliedAt TEXT NOT NULL);",
            cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = new SqliteCommand("SELECT Version FROM SchemaVersions;", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var newlyApplied = new List<string>();
        foreach (var (version, name) in Scripts())
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, ReadResource(ScriptPrefix + name), cancellationToken);
            await using var record = new SqliteCommand(
                "INSERT INTO SchemaVersions (Version, Name, AppliedAt) VALUES ($version, $name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));",
                connection, transaction);
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$name", name);
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(name);
        }

        var queriesChanged = 0;
        foreach (var resource in Resources(QueryPrefix))
        {
            await using var upsert = new SqliteCommand(
                """
                INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($key, $text)
                ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText WHERE QueryText <> excluded.QueryText;
                """,
                connection, transaction);
            upsert.Parameters.AddWithValue("$key", Path.GetFileNameWithoutExtension(resource));
            upsert.Parameters.AddWithValue("$text", ReadResource(resource));
            queriesChanged += await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new MigrationReport(newlyApplied, queriesChanged, applied.Count + newlyApplied.Count);
    }

    private static IEnumerable<(int Version, string Name)> Scripts() =>
        Resources(ScriptPrefix)
            .Where(r => !r.StartsWith(QueryPrefix, StringComparison.Ordinal))
            .Select(r => r[ScriptPrefix.Length..])
            .Select(name => (int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture), name))
            .OrderBy(s => s.Item1);

    private static IEnumerable<string> Resources(string prefix) =>
        typeof(SqliteSchema).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string ReadResource(string name)
    {
        using var stream = typeof(SqliteSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Schema resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>What a migration did.</summary>
public sealed record MigrationReport(IReadOnlyList<string> AppliedScripts, int QueriesChanged, int SchemaVersion);

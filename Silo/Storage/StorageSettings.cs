using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ProgressGrains.Silo.Storage;

/// <summary>
/// Where grain state (and, on PostgreSQL, cluster membership and reminders) lives, from
/// configuration: <c>Storage:Provider</c> (<c>Sqlite</c>, the default, or <c>PostgreSQL</c>),
/// <c>Storage:DataDirectory</c> for SQLite, <c>ConnectionStrings:Progress</c> for PostgreSQL.
/// </summary>
public sealed record StorageSettings(string Provider, string ConnectionString, string? DataDirectory)
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";

    public bool IsPostgreSql => Provider == PostgreSql;

    /// <summary>
    /// The ADO.NET invariant Orleans loads the driver by. Orleans 10.4.2 loads Microsoft.Data.Sqlite
    /// under "System.Data.SQLite": the name "Microsoft.Data.Sqlite" is missing from its table of
    /// database constants (KeyNotFoundException at silo start).
    /// </summary>
    public string Invariant => IsPostgreSql ? "Npgsql" : "System.Data.SQLite";

    public DbProviderFactory Factory => IsPostgreSql ? NpgsqlFactory.Instance : SqliteFactory.Instance;

    /// <summary>Where the state is, for people: the SQLite file, or the PostgreSQL host and database.</summary>
    public string Describe()
    {
        if (!IsPostgreSql)
        {
            return Path.Combine(DataDirectory!, "progress.db");
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
    }

    public static StorageSettings ForSqlite(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        return new StorageSettings(Sqlite, $"Data Source={Path.Combine(directory, "progress.db")};Pooling=True;Default Timeout=30", directory);
    }

    public static StorageSettings From(IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] is { Length: > 0 } p ? p : Sqlite;
        if (string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return ForSqlite(configuration["Storage:DataDirectory"] is { Length: > 0 } d ? d : "data");
        }

        if (string.Equals(provider, PostgreSql, StringComparison.OrdinalIgnoreCase)
            || string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = configuration.GetConnectionString("Progress");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "Storage:Provider is PostgreSQL but ConnectionStrings:Progress is not set; pass e.g. "
                    + "--ConnectionStrings:Progress=\"Host=127.0.0.1;Port=5432;Username=progress;Password=...;Database=progress\".");
            }

            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"ConnectionStrings:Progress is not a valid Npgsql connection string: {ex.Message}", ex);
            }

            return new StorageSettings(PostgreSql, connectionString, null);
        }

        throw new InvalidOperationException($"Storage:Provider '{provider}' is not known; use '{Sqlite}' (the default) or '{PostgreSql}'.");
    }
}

namespace ProgressGrains.Silo.Storage;

/// <summary>Where grain state lives, from configuration (<c>Storage:*</c>).</summary>
public sealed record StorageSettings(string Provider, string DataDirectory)
{
    public const string Sqlite = "Sqlite";

    /// <summary>
    /// The ADO.NET invariant under which Orleans 10.4.2 loads Microsoft.Data.Sqlite's factory. The
    /// name "Microsoft.Data.Sqlite" is not in its table of database constants (KeyNotFoundException
    /// at silo start), while "System.Data.SQLite" maps to Microsoft.Data.Sqlite.SqliteFactory.
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    public string DatabasePath => Path.Combine(DataDirectory, "progress.db");

    public string ConnectionString => $"Data Source={DatabasePath};Pooling=True;Default Timeout=30";

    public static StorageSettings From(IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] is { Length: > 0 } p ? p : Sqlite;
        if (!string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Storage:Provider '{provider}' is not supported by this build; the embedded default '{Sqlite}' is. "
                + "(PostgreSQL mode is planned: see the README.)");
        }

        var directory = configuration["Storage:DataDirectory"] is { Length: > 0 } d ? d : "data";
        return new StorageSettings(Sqlite, Path.GetFullPath(directory));
    }
}

using Npgsql;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// How many state writes the engine made, per grain type, read from its storage table (each write
/// bumps a grain's version). The difference over a phase, divided by the events acknowledged in it,
/// is the engine's write amplification: what a durable event costs in storage round trips.
/// </summary>
public static class EngineStorageProbe
{
    public static async Task<IReadOnlyDictionary<string, long>> WritesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT graintypestring, sum(version)::bigint FROM orleansstorage GROUP BY graintypestring", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var writes = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            writes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return writes;
    }

    /// <summary>"member 2559 (1.00 per event), community 2412 (0.94 per event)".</summary>
    public static string Describe(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, int events) =>
        string.Join(", ", after
            .Select(a => (Type: a.Key, Writes: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(d => d.Writes > 0)
            .OrderByDescending(d => d.Writes)
            .Select(d => FormattableString.Invariant($"{d.Type} {d.Writes} ({(events > 0 ? (double)d.Writes / events : 0):F2} per event)")));
}

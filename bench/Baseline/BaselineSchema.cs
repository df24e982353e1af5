using Npgsql;
using NpgsqlTypes;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Baseline;

/// <summary>
/// The baseline's tables, as a team would design them for this: every event keyed by its client
/// event id (the idempotency record and the ledger), one row per member with running counters, one
/// row per community with running totals (so a rollup read is one row).
/// </summary>
public static class BaselineSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS communities (
            community_id text PRIMARY KEY,
            enrolled_members int NOT NULL DEFAULT 0,
            total_points bigint NOT NULL DEFAULT 0,
            total_lessons bigint NOT NULL DEFAULT 0,
            total_check_ins bigint NOT NULL DEFAULT 0,
            total_quiz_attempts bigint NOT NULL DEFAULT 0,
            updated_at timestamptz);
        CREATE TABLE IF NOT EXISTS members (
            member_id text PRIMARY KEY,
            community_id text NOT NULL,
            points int NOT NULL DEFAULT 0,
            lessons_completed int NOT NULL DEFAULT 0,
            check_ins int NOT NULL DEFAULT 0,
            quiz_attempts int NOT NULL DEFAULT 0,
            last_activity_at timestamptz);
        CREATE TABLE IF NOT EXISTS events (
            event_id uuid PRIMARY KEY,
            member_id text NOT NULL,
            kind smallint NOT NULL,
            target text NOT NULL,
            points int NOT NULL,
            occurred_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now());
        -- A member's progress lists their lessons: read by member.
        CREATE INDEX IF NOT EXISTS events_by_member ON events (member_id);
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Create);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The roster import of the baseline: members and communities as rows, before any event.</summary>
    public static async Task SeedRosterAsync(string connectionString, BenchRoster roster, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var import = await connection.BeginBinaryImportAsync("COPY members (member_id, community_id) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var member in roster.Members)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(member.MemberId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(member.CommunityId, NpgsqlDbType.Text, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        await using var communities = new NpgsqlCommand(
            "INSERT INTO communities (community_id, enrolled_members) SELECT community_id, count(*) FROM members GROUP BY community_id "
            + "ON CONFLICT (community_id) DO UPDATE SET enrolled_members = excluded.enrolled_members", connection);
        await communities.ExecuteNonQueryAsync(cancellationToken);
    }
}

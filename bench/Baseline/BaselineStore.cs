using Grpc.Core;
using Npgsql;
using NpgsqlTypes;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Baseline;

/// <summary>
/// The baseline's data access, written plainly: per event one transaction that inserts the event
/// (a known event id inserts nothing and answers duplicate), adds to the member's row and to the
/// community's row, and commits before the caller is answered. Simplification: fixed points per
/// kind, and every new event counts (the engine's rules — once per lesson, once per site and day,
/// best quiz attempt, caps, streaks — are not reimplemented; the benchmark only sends events that
/// count under them too).
/// </summary>
public sealed class BaselineStore(NpgsqlDataSource dataSource)
{
    private const string InsertEvent = """
        INSERT INTO events (event_id, member_id, kind, target, points, occurred_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING
        """;

    private const string UpsertMember = """
        INSERT INTO members AS m (member_id, community_id, points, lessons_completed, check_ins, quiz_attempts, last_activity_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (member_id) DO UPDATE SET
            points = m.points + excluded.points,
            lessons_completed = m.lessons_completed + excluded.lessons_completed,
            check_ins = m.check_ins + excluded.check_ins,
            quiz_attempts = m.quiz_attempts + excluded.quiz_attempts,
            last_activity_at = greatest(m.last_activity_at, excluded.last_activity_at)
        RETURNING community_id, points, lessons_completed, check_ins, quiz_attempts
        """;

    private const string UpdateCommunity = """
        INSERT INTO communities AS c (community_id, total_points, total_lessons, total_check_ins, total_quiz_attempts, updated_at)
        VALUES ($1, $2, $3, $4, $5, now())
        ON CONFLICT (community_id) DO UPDATE SET
            total_points = c.total_points + excluded.total_points,
            total_lessons = c.total_lessons + excluded.total_lessons,
            total_check_ins = c.total_check_ins + excluded.total_check_ins,
            total_quiz_attempts = c.total_quiz_attempts + excluded.total_quiz_attempts,
            updated_at = now()
        """;

    public static int PointsFor(EventKind kind) => kind switch
    {
        EventKind.Lesson => BenchSeason.LessonPoints,
        EventKind.CheckIn => BenchSeason.CheckInPoints,
        _ => BenchSeason.QuizPoints,
    };

    /// <summary>Records one event; <paramref name="communityId"/> (from the token) is used when the member has no row yet.</summary>
    public async Task<RecordOutcome> RecordAsync(Guid eventId, string memberId, string communityId, EventKind kind, string target, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var points = PointsFor(kind);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(InsertEvent, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = eventId, NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = memberId, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = (short)kind, NpgsqlDbType = NpgsqlDbType.Smallint });
            insert.Parameters.Add(new() { Value = target, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = points, NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(new() { Value = occurredAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                var duplicate = await DuplicateAsync(connection, transaction, eventId, memberId, kind, target, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return duplicate;
            }
        }

        int lessons = kind == EventKind.Lesson ? 1 : 0, checkIns = kind == EventKind.CheckIn ? 1 : 0, quizzes = kind == EventKind.Quiz ? 1 : 0;
        RecordOutcome outcome;
        string memberCommunity;
        await using (var member = new NpgsqlCommand(UpsertMember, connection, transaction))
        {
            member.Parameters.Add(new() { Value = memberId, NpgsqlDbType = NpgsqlDbType.Text });
            member.Parameters.Add(new() { Value = communityId, NpgsqlDbType = NpgsqlDbType.Text });
            member.Parameters.Add(new() { Value = points, NpgsqlDbType = NpgsqlDbType.Integer });
            member.Parameters.Add(new() { Value = lessons, NpgsqlDbType = NpgsqlDbType.Integer });
            member.Parameters.Add(new() { Value = checkIns, NpgsqlDbType = NpgsqlDbType.Integer });
            member.Parameters.Add(new() { Value = quizzes, NpgsqlDbType = NpgsqlDbType.Integer });
            member.Parameters.Add(new() { Value = occurredAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await member.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            memberCommunity = reader.GetString(0);
            outcome = new RecordOutcome(false, points, reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
        }

        await using (var community = new NpgsqlCommand(UpdateCommunity, connection, transaction))
        {
            community.Parameters.Add(new() { Value = memberCommunity, NpgsqlDbType = NpgsqlDbType.Text });
            community.Parameters.Add(new() { Value = (long)points, NpgsqlDbType = NpgsqlDbType.Bigint });
            community.Parameters.Add(new() { Value = (long)lessons, NpgsqlDbType = NpgsqlDbType.Bigint });
            community.Parameters.Add(new() { Value = (long)checkIns, NpgsqlDbType = NpgsqlDbType.Bigint });
            community.Parameters.Add(new() { Value = (long)quizzes, NpgsqlDbType = NpgsqlDbType.Bigint });
            await community.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    public async Task<MemberRow?> GetMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("SELECT community_id, points, lessons_completed, check_ins, quiz_attempts, last_activity_at FROM members WHERE member_id = $1")
                {
                    Parameters = { new() { Value = memberId, NpgsqlDbType = NpgsqlDbType.Text } },
                },
                new("SELECT target FROM events WHERE member_id = $1 AND kind = $2 ORDER BY occurred_at, event_id")
                {
                    Parameters = { new() { Value = memberId, NpgsqlDbType = NpgsqlDbType.Text }, new() { Value = (short)EventKind.Lesson, NpgsqlDbType = NpgsqlDbType.Smallint } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var (community, points, lessons, checkIns, quizzes) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
        DateTimeOffset? last = reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero);
        await reader.NextResultAsync(cancellationToken);
        var completed = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            completed.Add(reader.GetString(0));
        }

        return new MemberRow(memberId, community, points, lessons, checkIns, quizzes, last, completed);
    }

    public async Task<CommunityRow?> GetCommunityAsync(string communityId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT enrolled_members, total_points, total_lessons, total_check_ins, total_quiz_attempts, updated_at FROM communities WHERE community_id = $1");
        command.Parameters.Add(new() { Value = communityId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CommunityRow(communityId, reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero));
    }

    private static async Task<RecordOutcome> DuplicateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid eventId, string memberId, EventKind kind, string target,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT e.member_id, e.kind, e.target, e.points, m.points, m.lessons_completed, m.check_ins, m.quiz_attempts "
            + "FROM events e JOIN members m ON m.member_id = e.member_id WHERE e.event_id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = eventId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"event {eventId} conflicted but was not found"));
        }

        if (reader.GetString(0) != memberId || reader.GetInt16(1) != (short)kind || reader.GetString(2) != target)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"event_id {eventId} was already used for another action; generate a new UUID for each action and reuse it only to retry that action."));
        }

        return new RecordOutcome(true, reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7));
    }
}

using Npgsql;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Verification;

/// <summary>
/// Checks the baseline in its database: every acknowledged event has its row (the primary key
/// makes a second row impossible, so doubling would show in the counters), each member's counters
/// equal what was acknowledged, and each community's totals equal the sum of its members' rows.
/// </summary>
public static class BaselineVerifier
{
    public static async Task<VerificationResult> VerifyAsync(string system, string connectionString, AcknowledgedLog log, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var stored = new Dictionary<Guid, string>();
        await using (var events = new NpgsqlCommand("SELECT event_id, member_id FROM events", connection))
        await using (var reader = await events.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        var problems = new ProblemList();
        foreach (var problem in log.ResendProblems)
        {
            problems.Add(problem);
        }

        int foundOnce = 0, missing = 0;
        foreach (var planned in log.Acknowledged)
        {
            if (stored.GetValueOrDefault(planned.EventId) == planned.Member.MemberId)
            {
                foundOnce++;
            }
            else
            {
                missing++;
                problems.Add($"acknowledged {planned.Kind} {planned.Target} ({planned.EventId}) of {planned.Member.MemberId} has no row");
            }
        }

        var unexpected = stored.Keys.Count(id => !log.IsAcknowledged(id) && !log.WasGivenUp(id));
        if (unexpected > 0)
        {
            problems.Add($"{unexpected} stored events were never acknowledged nor given up");
        }

        var acknowledged = log.Acknowledged.ToLookup(e => e.Member.MemberId);
        var givenUp = log.GivenUp.ToLookup(e => e.Member.MemberId);
        var mismatches = 0;
        await using (var members = new NpgsqlCommand("SELECT member_id, lessons_completed, check_ins, quiz_attempts FROM members", connection))
        await using (var reader = await members.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var memberId = reader.GetString(0);
                var wrong = new[] { (EventKind.Lesson, reader.GetInt32(1)), (EventKind.CheckIn, reader.GetInt32(2)), (EventKind.Quiz, reader.GetInt32(3)) }
                    .Where(c => c.Item2 < acknowledged[memberId].Count(e => e.Kind == c.Item1)
                        || c.Item2 > acknowledged[memberId].Count(e => e.Kind == c.Item1) + givenUp[memberId].Count(e => e.Kind == c.Item1))
                    .Select(c => $"{c.Item1} {c.Item2}, acknowledged {acknowledged[memberId].Count(e => e.Kind == c.Item1)}").ToArray();
                if (wrong.Length > 0)
                {
                    mismatches++;
                    problems.Add($"member row {memberId}: {string.Join(", ", wrong)}");
                }
            }
        }

        await using (var communities = new NpgsqlCommand("""
            SELECT c.community_id FROM communities c
            LEFT JOIN (SELECT community_id, sum(points) AS points, sum(lessons_completed) AS lessons, sum(check_ins) AS check_ins, sum(quiz_attempts) AS quizzes
                       FROM members GROUP BY community_id) m ON m.community_id = c.community_id
            WHERE (c.total_points, c.total_lessons, c.total_check_ins, c.total_quiz_attempts)
                  IS DISTINCT FROM (coalesce(m.points, 0), coalesce(m.lessons, 0), coalesce(m.check_ins, 0), coalesce(m.quizzes, 0))
            """, connection))
        await using (var reader = await communities.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                mismatches++;
                problems.Add($"community row {reader.GetString(0)}: totals differ from the sum of its members' rows");
            }
        }

        return new VerificationResult(system, "SQL: event rows by id, member counters, community totals = sum of members", log.Acknowledged.Count, foundOnce, missing, 0, unexpected,
            mismatches, log.Resends, log.ResendProblems.Count, log.GivenUp.Count, problems.ToList());
    }
}

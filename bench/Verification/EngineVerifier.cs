using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Verification;

/// <summary>
/// Checks the engine through its public API, as a client can: each member's ledger must hold every
/// acknowledged event exactly once (each planned event earns one entry under its event id), and the
/// member's progress must count exactly the acknowledged lessons, check-ins and quiz attempts.
/// Events given up after failing may or may not be stored; they are allowed either way.
/// </summary>
public static class EngineVerifier
{
    public static async Task<VerificationResult> VerifyAsync(string system, Uri grpcBase, BenchTokens tokens, AcknowledgedLog log, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(grpcBase);
        var members = new MemberService.MemberServiceClient(channel);
        var acknowledged = log.Acknowledged.ToLookup(e => e.Member.MemberId);
        var givenUp = log.GivenUp.ToLookup(e => e.Member.MemberId);
        var memberIds = acknowledged.Select(g => g.Key).Union(givenUp.Select(g => g.Key)).ToArray();
        var byId = log.Acknowledged.Concat(log.GivenUp).DistinctBy(e => e.Member.MemberId).ToDictionary(e => e.Member.MemberId, e => e.Member);
        int foundOnce = 0, missing = 0, doubled = 0, unexpected = 0, mismatches = 0;
        var problems = new ProblemList();
        foreach (var problem in log.ResendProblems)
        {
            problems.Add(problem);
        }

        await Parallel.ForEachAsync(memberIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (memberId, ct) =>
        {
            var options = () => GrpcProgressApi.Options(tokens.Member(byId[memberId]), ct).WithDeadline(DateTime.UtcNow.AddSeconds(60));
            var ledger = new List<LedgerEntry>();
            var page = "";
            do
            {
                var reply = await members.ListMemberLedgerAsync(new ListMemberLedgerRequest { MemberId = memberId, PageSize = 1000, PageToken = page }, options());
                ledger.AddRange(reply.Entries);
                page = reply.NextPageToken;
            }
            while (!string.IsNullOrEmpty(page));

            var counts = ledger.Where(e => e.Kind is ActivityKind.Lesson or ActivityKind.CheckIn or ActivityKind.Quiz && Guid.TryParse(e.EventId, out var id) && id != Guid.Empty)
                .GroupBy(e => Guid.Parse(e.EventId)).ToDictionary(g => g.Key, g => g.Count());
            foreach (var planned in acknowledged[memberId])
            {
                switch (counts.GetValueOrDefault(planned.EventId))
                {
                    case 0:
                        Interlocked.Increment(ref missing);
                        problems.Add($"acknowledged {planned.Kind} {planned.Target} ({planned.EventId}) of {memberId} is not in the ledger");
                        break;
                    case 1:
                        Interlocked.Increment(ref foundOnce);
                        break;
                    case var n:
                        Interlocked.Increment(ref doubled);
                        problems.Add($"acknowledged {planned.Kind} {planned.Target} ({planned.EventId}) of {memberId} is in the ledger {n} times");
                        break;
                }
            }

            foreach (var (eventId, _) in counts)
            {
                if (!log.IsAcknowledged(eventId) && !log.WasGivenUp(eventId))
                {
                    Interlocked.Increment(ref unexpected);
                    problems.Add($"ledger of {memberId} holds event {eventId}, which was never acknowledged nor given up");
                }
            }

            var progress = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = memberId }, options());
            var mine = acknowledged[memberId].ToArray();
            var lost = givenUp[memberId].ToArray();
            string? Check(string what, int actual, EventKind kind)
            {
                var expected = mine.Count(e => e.Kind == kind);
                var allowance = lost.Count(e => e.Kind == kind);
                return actual >= expected && actual <= expected + allowance ? null : $"{what} {actual}, acknowledged {expected}" + (allowance > 0 ? $" (+ up to {allowance} given up)" : "");
            }

            var wrong = new[] { Check("lessons", progress.CompletedLessons.Count, EventKind.Lesson), Check("check-ins", progress.CheckIns, EventKind.CheckIn), Check("quiz attempts", progress.QuizAttempts, EventKind.Quiz) }
                .Where(w => w is not null).ToArray();
            if (wrong.Length > 0)
            {
                Interlocked.Increment(ref mismatches);
                problems.Add($"progress of {memberId}: {string.Join(", ", wrong)}");
            }
        });

        return new VerificationResult(system, "per member through the API: ledger entries by event id, progress counters", log.Acknowledged.Count, foundOnce, missing, doubled,
            unexpected, mismatches, log.Resends, log.ResendProblems.Count, log.GivenUp.Count, problems.ToList());
    }
}

using System.Diagnostics;
using ProgressGrains.Bench.Harness;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// Has every given member do one thing (a lesson, and optionally a progress read), a bounded
/// number at a time: the setup of the memory and rollup benchmarks, which need each member's grain
/// to hold state rather than a random sample of them. Unavailable and DeadlineExceeded are retried
/// with the same event id, as a mini-program does.
/// </summary>
public static class MemberDriver
{
    private const int MaxAttempts = 5;

    public static async Task<DriveResult> LessonEachAsync(IProgressApi api, BenchTokens tokens, IReadOnlyList<BenchMember> members, int lessonIndex,
        bool readBack, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        var givenUp = 0;
        string? firstFailure = null;
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (member, ct) =>
        {
            var token = tokens.Member(member);
            var planned = new PlannedEvent(member, Guid.NewGuid(), EventKind.Lesson, BenchSeason.LessonId(lessonIndex), DateTimeOffset.UtcNow);
            var sent = Stopwatch.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await api.SendAsync(planned, token, ct);
                    latencies.Record(sent, Stopwatch.GetTimestamp());
                    if (readBack)
                    {
                        await api.ReadProgressAsync(member, token, ct);
                    }

                    return;
                }
                catch (CallFailedException ex) when (ex.Retryable && attempt < MaxAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << attempt)), ct);
                }
                catch (CallFailedException ex)
                {
                    Interlocked.Increment(ref givenUp);
                    Interlocked.CompareExchange(ref firstFailure, $"{member.MemberId}: {ex.Message}", null);
                    return;
                }
            }
        });
        return new DriveResult(members.Count, started.Elapsed, latencies.Summarize(), givenUp, firstFailure);
    }
}

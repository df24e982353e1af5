using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Cluster.Tests;

/// <summary>
/// Many members checking in concurrently, each event retried with the same event id until it is
/// acknowledged (Unavailable and deadline expiries are retried; anything else is recorded).
/// Every event is a check-in at a different day, so each one must end in its member's ledger.
/// </summary>
public sealed class CheckInLoad(MemberService.MemberServiceClient client)
{
    public const string SiteId = "xietang-service-centre";

    private readonly ConcurrentDictionary<Guid, Event> _acknowledged = new();
    private readonly ConcurrentDictionary<StatusCode, int> _failures = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _duplicates;
    private long _lastFailureTicks = -1;

    public sealed record Event(string MemberId, Guid EventId, DateTimeOffset OccurredAt);

    public int Acknowledged => _acknowledged.Count;

    public int Duplicates => _duplicates;

    public IReadOnlyDictionary<StatusCode, int> Failures => _failures;

    public ICollection<Event> AcknowledgedEvents => _acknowledged.Values;

    /// <summary>When the last failed attempt happened, on this load's clock; null when none failed.</summary>
    public TimeSpan? LastFailureAt => Interlocked.Read(ref _lastFailureTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    public TimeSpan Now => _clock.Elapsed;

    public static IReadOnlyList<Event> Plan(IEnumerable<string> memberIds, int daysEach)
    {
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date;
        return [.. memberIds
            .SelectMany(m => Enumerable.Range(1, daysEach).Select(d =>
                new Event(m, Guid.NewGuid(), new DateTimeOffset(today.AddDays(-d).AddHours(12), TimeSpan.FromHours(8)))))
            .OrderBy(_ => Random.Shared.Next())];
    }

    /// <summary>Starts the load and returns, still running, once a third of it is acknowledged.</summary>
    public async Task<Task> StartAndRunToAThirdAsync(IReadOnlyList<Event> events, int concurrency, TimeSpan perEventLimit)
    {
        var running = RunAsync(events, concurrency, perEventLimit);
        while (Acknowledged < events.Count / 3 && !running.IsCompleted)
        {
            await Task.Delay(20);
        }

        return running;
    }

    public Task RunAsync(IReadOnlyList<Event> events, int concurrency, TimeSpan perEventLimit) =>
        Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (e, ct) =>
        {
            var request = new CheckInRequest
            {
                MemberId = e.MemberId,
                EventId = e.EventId.ToString(),
                SiteId = SiteId,
                OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(e.OccurredAt),
            };
            var started = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    var reply = await client.CheckInAsync(request, deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: ct);
                    if (!reply.Counted)
                    {
                        throw new InvalidOperationException($"check-in {e.EventId} of {e.MemberId} was not counted");
                    }

                    if (reply.Duplicate)
                    {
                        Interlocked.Increment(ref _duplicates);
                    }

                    _acknowledged[e.EventId] = e;
                    return;
                }
                catch (RpcException ex)
                {
                    _failures.AddOrUpdate(ex.StatusCode, 1, (_, n) => n + 1);
                    Interlocked.Exchange(ref _lastFailureTicks, _clock.Elapsed.Ticks);
                    if (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded) || started.Elapsed > perEventLimit)
                    {
                        throw new InvalidOperationException($"check-in {e.EventId} of {e.MemberId} failed for good: {ex.Status}", ex);
                    }

                    await Task.Delay(250, ct);
                }
            }
        });
}

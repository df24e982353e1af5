using System.Collections.Concurrent;

namespace ProgressGrains.Gateway;

/// <summary>
/// A token bucket per key (a member, a client address), kept as one number per key: the time at
/// which the bucket will be full again (the "generic cell rate algorithm"). Taking a token moves
/// that time one token's worth into the future; a key whose time is further ahead than the burst
/// allows is refused. Nothing runs per key in the background, so the cost does not grow with the
/// number of keys.
/// </summary>
/// <remarks>
/// Replaces <c>System.Threading.RateLimiting</c>'s partitioned token buckets here: those refill
/// every partition from one timer every 100 ms under one lock that each request also takes. With
/// 10,000 members active that loop and the lock were 5 to 8% of the silo's CPU under load, and it
/// grows with the number of members (docs/benchmarks.md).
/// </remarks>
internal sealed class TokenBuckets : IDisposable
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _tokenTicks;
    private readonly long _burstTicks;
    private readonly ITimer _sweeper;

    /// <param name="perSecond">Tokens added per second (the sustained rate).</param>
    /// <param name="burst">Tokens a full bucket holds (requests that may come at once).</param>
    /// <param name="time">The clock.</param>
    /// <param name="sweepEvery">How often buckets that are full again are forgotten (default 30 s).</param>
    public TokenBuckets(int perSecond, int burst, TimeProvider time, TimeSpan? sweepEvery = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _tokenTicks = Math.Max(1, time.TimestampFrequency / perSecond);
        _burstTicks = checked(_tokenTicks * (burst - 1));
        var every = sweepEvery ?? TimeSpan.FromSeconds(30);
        _sweeper = time.CreateTimer(_ => Sweep(), null, every, every);
    }

    /// <summary>Buckets held (keys seen and not yet full again at the last sweep).</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes a token from <paramref name="key"/>'s bucket; false (and nothing taken) when it is empty.</summary>
    public bool TryTake(string key)
    {
        var bucket = _buckets.GetOrAdd(key, static _ => new Bucket());
        var now = _time.GetTimestamp();
        while (true)
        {
            var fullAt = Volatile.Read(ref bucket.FullAt);
            var from = Math.Max(fullAt, now);
            if (from - now > _burstTicks)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref bucket.FullAt, from + _tokenTicks, fullAt) == fullAt)
            {
                return true;
            }
        }
    }

    /// <summary>Forgets buckets that are full again: a new one for the same key starts full, which is the same.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (key, bucket) in _buckets)
        {
            if (Volatile.Read(ref bucket.FullAt) <= now)
            {
                // Removed only if still this bucket; a token taken from it meanwhile is at most one
                // request let through that a full bucket would have let through anyway.
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private sealed class Bucket
    {
        public long FullAt = long.MinValue;
    }
}

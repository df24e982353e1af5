using Microsoft.Extensions.Time.Testing;
using ProgressGrains.Gateway;

namespace ProgressGrains.Silo.Tests;

/// <summary>The gateway's per-key token buckets, on a clock the test moves.</summary>
public sealed class TokenBucketsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AFullBucket_GivesItsBurst_ThenOneTokenPerRateInterval()
    {
        using var buckets = new TokenBuckets(perSecond: 2, burst: 5, _clock);

        Assert.Equal(5, Enumerable.Range(0, 8).Count(_ => buckets.TryTake("m1")));

        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(buckets.TryTake("m1"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(buckets.TryTake("m1"));
        Assert.False(buckets.TryTake("m1"));

        // Ten seconds idle refill the bucket, but never beyond the burst.
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, Enumerable.Range(0, 8).Count(_ => buckets.TryTake("m1")));
    }

    [Fact]
    public void Keys_HaveTheirOwnBuckets()
    {
        using var buckets = new TokenBuckets(perSecond: 1, burst: 2, _clock);

        Assert.True(buckets.TryTake("hot"));
        Assert.True(buckets.TryTake("hot"));
        Assert.False(buckets.TryTake("hot"));
        Assert.True(buckets.TryTake("calm"));
    }

    [Fact]
    public void ARefusedTake_TakesNothing()
    {
        using var buckets = new TokenBuckets(perSecond: 1, burst: 1, _clock);
        Assert.True(buckets.TryTake("m"));

        // Hammering an empty bucket does not push its refill further away.
        for (var i = 0; i < 100; i++)
        {
            Assert.False(buckets.TryTake("m"));
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(buckets.TryTake("m"));
    }

    [Fact]
    public void ConcurrentTakes_NeverExceedTheBurst()
    {
        using var buckets = new TokenBuckets(perSecond: 1, burst: 1000, _clock);
        var taken = 0;

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (buckets.TryTake("shared"))
                {
                    Interlocked.Increment(ref taken);
                }
            }
        });

        Assert.Equal(1000, taken);
    }

    [Fact]
    public void TheSweep_ForgetsOnlyBucketsThatAreFullAgain()
    {
        using var buckets = new TokenBuckets(perSecond: 1, burst: 3, _clock, sweepEvery: TimeSpan.FromMinutes(1));
        buckets.TryTake("idle");
        _clock.Advance(TimeSpan.FromSeconds(2));
        buckets.TryTake("busy");
        buckets.TryTake("busy");

        _clock.Advance(TimeSpan.FromSeconds(1)); // "idle" is full again, "busy" is not
        buckets.Sweep();

        Assert.Equal(1, buckets.Count);
        // "busy" kept its state: one token left of three, refilled by one meanwhile.
        Assert.True(buckets.TryTake("busy"));
        Assert.True(buckets.TryTake("busy"));
        Assert.False(buckets.TryTake("busy"));
    }
}

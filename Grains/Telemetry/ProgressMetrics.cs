using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProgressGrains.Grains.Telemetry;

/// <summary>
/// The engine's own metrics, on the meter <see cref="MeterName"/> (instruments <c>progress.*</c>,
/// scraped as <c>progress_*</c>). Tags stay low-cardinality: kinds, outcomes, community ids; never
/// member ids.
/// </summary>
public sealed class ProgressMetrics : IDisposable
{
    public const string MeterName = "ProgressGrains";

    /// <summary>What happened to a member event: it changed the member, was seen before, changed nothing new, was refused by a rule, or could not be stored.</summary>
    public static class Outcomes
    {
        public const string Applied = "applied";
        public const string Duplicate = "duplicate";
        public const string Unchanged = "unchanged";
        public const string Rejected = "rejected";
        public const string Failed = "failed";
    }

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _events;
    private readonly Counter<long> _pointsAwarded;
    private readonly Counter<long> _pointsReversed;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<double> _rollupLag;
    private readonly ConcurrentDictionary<string, (int AtRisk, int InOutreach)> _communities = new(StringComparer.Ordinal);

    public ProgressMetrics()
    {
        _events = _meter.CreateCounter<long>("progress.events", "{event}",
            "Member events handled, by kind and outcome (applied, duplicate, unchanged, rejected, failed).");
        _pointsAwarded = _meter.CreateCounter<long>("progress.points.awarded", "{point}", "Points members gained, by kind of event.");
        _pointsReversed = _meter.CreateCounter<long>("progress.points.reversed", "{point}", "Points taken back (voids), by kind of event.");
        _ingestDuration = _meter.CreateHistogram("progress.ingest.duration", "s",
            "Time a member grain took for an event, storage write included, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _rollupLag = _meter.CreateHistogram("progress.rollup.lag", "s",
            "Time from a member's committed event to its community's rollup taking it in.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60] });
        _meter.CreateObservableGauge("progress.members.at_risk", () => Gauge(c => c.AtRisk), "{member}",
            "Members in each community's outreach queue (at risk, not back on pace), current season.");
        _meter.CreateObservableGauge("progress.outreach.cases.open", () => Gauge(c => c.InOutreach), "{case}",
            "Open outreach cases assigned to a squad volunteer, per community, current season.");
    }

    public void EventHandled(string kind, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        _events.Add(1, tags);
        _ingestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    public void PointsChanged(string kind, int delta)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        if (delta > 0)
        {
            _pointsAwarded.Add(delta, tag);
        }
        else if (delta < 0)
        {
            _pointsReversed.Add(-delta, tag);
        }
    }

    public void RollupLag(TimeSpan lag) => _rollupLag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>A community's current outreach numbers, as its active grain last computed them.</summary>
    public void Outreach(string communityId, int atRisk, int inOutreach) => _communities[communityId] = (atRisk, inOutreach);

    /// <summary>A community grain left this silo: another reports it when it activates.</summary>
    public void Forget(string communityId) => _communities.TryRemove(communityId, out _);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> Gauge(Func<(int AtRisk, int InOutreach), int> value) =>
        _communities.Select(c => new Measurement<int>(value(c.Value), new KeyValuePair<string, object?>("community", c.Key)));
}

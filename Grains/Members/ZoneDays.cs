using System.Runtime.CompilerServices;

namespace ProgressGrains.Grains.Members;

/// <summary>
/// Calendar days in a time zone for many instants, as <c>TimeZoneInfo.ConvertTime</c> gives them
/// but cheaper: ConvertTime searches the zone's adjustment rules on every call (about 50 ns,
/// twice per fact in <see cref="PointsCalculator"/>). Past the end of a zone's last rule no rule
/// applies and ConvertTime uses the zone's base offset, so there the day is UTC plus that offset.
/// Asia/Shanghai's last rule ended in 1991; a zone that still changes its clocks has a rule that
/// never ends and always takes the slow path, so daylight saving time is never guessed.
/// </summary>
internal readonly struct ZoneDays
{
    private static readonly ConditionalWeakTable<TimeZoneInfo, StrongBox<DateTime>> FixedFromCache = [];

    /// <summary>Clear of the year-1 and year-9999 special cases in ConvertTime and of overflow near the ends of time.</summary>
    private static readonly DateTime Earliest = new(2, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Latest = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly TimeZoneInfo _zone;
    private readonly DateTime _fixedFrom;

    public ZoneDays(TimeZoneInfo zone)
    {
        _zone = zone;
        _fixedFrom = FixedFromCache.GetValue(zone, static z => new StrongBox<DateTime>(FixedOffsetFrom(z))).Value;
    }

    public DateOnly DayOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc >= _fixedFrom && utc < Latest
            ? DateOnly.FromDateTime(utc + _zone.BaseUtcOffset)
            : DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime);
    }

    /// <summary>
    /// From when (UTC) the zone's offset is its base offset for good: two days after its last rule
    /// ends, as the rules' dates are local calendar days (a day and the zone's offset of slack).
    /// </summary>
    private static DateTime FixedOffsetFrom(TimeZoneInfo zone)
    {
        var lastEnd = DateTime.MinValue;
        foreach (var rule in zone.GetAdjustmentRules())
        {
            if (rule.DateEnd.Date >= DateTime.MaxValue.Date)
            {
                return DateTime.MaxValue; // rules to the end of time: every day goes through ConvertTime
            }

            lastEnd = rule.DateEnd > lastEnd ? rule.DateEnd : lastEnd;
        }

        var from = DateTime.SpecifyKind(lastEnd.Date, DateTimeKind.Utc).AddDays(2);
        return from > Earliest ? from : Earliest;
    }
}

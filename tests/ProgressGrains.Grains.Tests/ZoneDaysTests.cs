using ProgressGrains.Grains.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary><see cref="ZoneDays"/> gives the day ConvertTime gives, in every zone the system knows.</summary>
public sealed class ZoneDaysTests
{
    [Fact]
    public void DayOf_InEveryZone_IsTheDayConvertTimeGives()
    {
        var start = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            var days = new ZoneDays(zone);
            var lastRuleEnd = zone.GetAdjustmentRules().Select(r => r.DateEnd).DefaultIfEmpty(DateTime.MinValue).Max();
            var nearEnd = lastRuleEnd.Year is > 1900 and < 2040
                ? new DateTimeOffset(DateTime.SpecifyKind(lastRuleEnd.Date, DateTimeKind.Utc)).AddDays(-3)
                : start;

            // Every 15 minutes for a week around where the last rule ends, then every 29 h 17 min over the years.
            var instants = Enumerable.Range(0, 7 * 96).Select(i => nearEnd.AddMinutes(15 * i))
                .Concat(Enumerable.Range(0, int.MaxValue).Select(i => start.AddMinutes(1757.0 * i)).TakeWhile(t => t < end));
            foreach (var at in instants)
            {
                Assert.True(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime) == days.DayOf(at), $"{zone.Id} at {at:o}");
            }
        }
    }
}

using System.Collections.Immutable;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Grains.Tests;

/// <summary>
/// A case rebuilt from the same facts equals the one held, so the community does not write itself
/// for a case that did not change (it did, on every event of a member at risk, while the record
/// compared its arrays by reference).
/// </summary>
public sealed class OutreachCaseEqualityTests
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static OutreachCase Case(params string[] reasons) => new()
    {
        MemberId = "m-1",
        SeasonId = "s-1",
        Reasons = [.. reasons.Select(r => new AtRiskReason(AtRiskReasonKind.BehindPace, r))],
        DaysBehind = 3,
        OpenedAt = Opened,
        History = [new CaseEvent(Opened, "opened", null)],
    };

    [Fact]
    public void CasesWithTheSameContentInDifferentArrays_AreEqual()
    {
        var held = Case("behind pace: 2 of 6 lessons");
        var rebuilt = Case("behind pace: 2 of 6 lessons");

        Assert.NotSame(held, rebuilt);
        Assert.True(held == rebuilt);
        Assert.Equal(held.GetHashCode(), rebuilt.GetHashCode());
        Assert.True(held with { Reasons = default, History = default } == held with { Reasons = [], History = ImmutableArray<CaseEvent>.Empty });
    }

    [Fact]
    public void ADifferentReasonOrHistoryOrField_MakesThemDifferent()
    {
        var held = Case("behind pace: 2 of 6 lessons");

        Assert.False(held == Case("behind pace: 3 of 6 lessons"));
        Assert.False(held == Case("behind pace: 2 of 6 lessons", "inactive 8 days"));
        Assert.False(held == held with { History = held.History.Add(new CaseEvent(Opened, "assigned", "v-1")) });
        Assert.False(held == held with { DaysBehind = 4 });
        Assert.False(held == held with { Status = OutreachCaseStatus.Recovered });
        Assert.False(held == held with { HomeDeliveriesAtAssignment = 1 });
        Assert.False(held.Equals(null));
    }
}

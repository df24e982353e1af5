using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Communities;

namespace ProgressGrains.Grains.Tests;

/// <summary>The rollup arithmetic on its own, without a cluster.</summary>
public sealed class SeasonRollupTests
{
    private static MemberContribution Contribution(string member, long version, int points, params string[] lessons) => new()
    {
        Profile = new MemberProfile(member, member, "c", "g", null, MemberFlags.None),
        SeasonId = "s",
        Version = version,
        Points = points,
        RequiredLessons = 2,
        CompletedRequiredLessons = Math.Min(2, lessons.Length),
        CompletedLessonIds = [.. lessons],
    };

    [Fact]
    public void Apply_SameVersionTwice_CountsOnce()
    {
        var rollup = new SeasonRollup([], _ => "g");

        Assert.True(rollup.Apply(Contribution("a", 1, 10, "l1"), "g"));
        Assert.False(rollup.Apply(Contribution("a", 1, 10, "l1"), "g"));

        Assert.Equal(10, rollup.Totals(1, 2).TotalPoints);
        Assert.Equal(1, rollup.LessonCompletions("l1"));
    }

    [Fact]
    public void Apply_NewerVersion_ReplacesTheOldContribution()
    {
        var rollup = new SeasonRollup([], _ => "g");
        rollup.Apply(Contribution("a", 1, 10, "l1"), "g");

        rollup.Apply(Contribution("a", 3, 25, "l1", "l2"), "g");
        var applied = rollup.Apply(Contribution("a", 2, 15, "l2"), "g");

        Assert.False(applied);
        var totals = rollup.Totals(1, 2);
        Assert.Equal(25, totals.TotalPoints);
        Assert.Equal(1, totals.CompletedMembers);
        Assert.Equal(1.0, totals.AverageProgress);
        Assert.Equal(1, rollup.LessonCompletions("l2"));
    }

    [Fact]
    public void MoveGrid_MovesTheMembersNumbersExactly()
    {
        var rollup = new SeasonRollup([], _ => "g1");
        rollup.Apply(Contribution("a", 1, 10, "l1"), "g1");
        rollup.Apply(Contribution("b", 1, 7), "g1");

        rollup.MoveGrid("a", "g1", "g2");

        Assert.Equal(7, rollup.GridTotals("g1", 1, 2).TotalPoints);
        Assert.Equal(10, rollup.GridTotals("g2", 1, 2).TotalPoints);
        Assert.Equal(17, rollup.Totals(2, 2).TotalPoints);
    }

    [Fact]
    public void Constructor_FromStoredContributions_RecountsEverything()
    {
        var stored = new Dictionary<string, MemberContribution>
        {
            ["a"] = Contribution("a", 4, 10, "l1", "l2"),
            ["b"] = Contribution("b", 2, 5, "l1"),
        };

        var rollup = new SeasonRollup(stored, id => id == "a" ? "g1" : "g2");

        var totals = rollup.Totals(3, 2);
        Assert.Equal(15, totals.TotalPoints);
        Assert.Equal(2, rollup.LessonCompletions("l1"));
        Assert.Equal(0.5, totals.AverageProgress); // (2 + 1) of 3 members × 2 required
        Assert.Equal(1, rollup.GridTotals("g1", 1, 2).CompletedMembers);
    }
}

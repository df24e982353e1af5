using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>Members moving between communities take their progress along, and nothing brings them back by accident.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MemberMoveTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 10, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task AMove_CarriesProgress_AndALateContributionFromBeforeIt_IsIgnored()
    {
        var (from, members) = await fixture.NewCommunity(2);
        var (to, _) = await fixture.NewCommunity(1);
        var member = fixture.Member(members[0]);
        await member.CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), "r1", LessonChannel.Online, null, Noon, null));
        var before = (await member.GetContributions()).Single();
        var target = (await fixture.Grains.GetGrain<ICommunityGrain>(to).GetDefinition())!;

        await member.Enroll(before.Profile with { CommunityId = to, GridId = target.Grids[0] });
        var fromAfter = (await fixture.Grains.GetGrain<ICommunityGrain>(from).GetRollup(null)).Totals;
        var toAfter = (await fixture.Grains.GetGrain<ICommunityGrain>(to).GetRollup(null)).Totals;

        // A contribution sent before the move and delivered late changes nothing in the old community.
        await fixture.Grains.GetGrain<ICommunityGrain>(from).Apply(before);
        var fromLate = (await fixture.Grains.GetGrain<ICommunityGrain>(from).GetRollup(null)).Totals;

        Assert.Equal(1, fromAfter.EnrolledMembers);
        Assert.Equal(0, fromAfter.TotalPoints);
        Assert.Equal(2, toAfter.EnrolledMembers);
        Assert.Equal(before.Points, toAfter.TotalPoints);
        Assert.Equal(fromAfter, fromLate);
        var moved = (await member.GetContributions()).Single();
        Assert.True(moved.Version > before.Version);
        Assert.Equal(to, moved.Profile.CommunityId);
    }
}

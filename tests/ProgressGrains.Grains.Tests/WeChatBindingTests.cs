using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Identity;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>An openid on the roster signs in as exactly one member.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WeChatBindingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EnrollingWithAnOpenId_BindsIt_TakenIsRefused_AndChangingItReleasesTheOldOne()
    {
        var (_, members) = await fixture.NewCommunity(2);
        var first = fixture.Grains.GetGrain<IMemberGrain>(members[0]);
        var second = fixture.Grains.GetGrain<IMemberGrain>(members[1]);
        var profile = (await first.GetProfile())!;
        var other = (await second.GetProfile())!;
        var openId = $"o{Guid.NewGuid():N}";
        var newOpenId = $"o{Guid.NewGuid():N}";

        await first.Enroll(profile with { OpenId = openId });
        var taken = await Assert.ThrowsAsync<ProgressException>(() => second.Enroll(other with { OpenId = openId }));
        var secondAfterRefusal = await second.GetProfile();
        await first.Enroll(profile with { OpenId = newOpenId });

        Assert.Equal(ErrorKind.AlreadyExists, taken.Kind);
        Assert.Contains(members[0], taken.Message);
        Assert.Null(secondAfterRefusal!.OpenId);
        Assert.Null(await fixture.Grains.GetGrain<IWeChatAccountGrain>(openId).GetMember());
        Assert.Equal(members[0], await fixture.Grains.GetGrain<IWeChatAccountGrain>(newOpenId).GetMember());

        // Released, the old openid can go to someone else.
        await second.Enroll(other with { OpenId = openId });
        Assert.Equal(members[1], await fixture.Grains.GetGrain<IWeChatAccountGrain>(openId).GetMember());
    }
}

using Microsoft.Extensions.Caching.Memory;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Gateway.Security;

/// <summary>
/// Where resources belong, asked of the grains that own them (a member's community, a community's
/// subdistrict, a volunteer's assignments), for access decisions. Memberships are cached briefly per
/// gateway: a member moved to another community is seen there within <see cref="MemberTtl"/>.
/// </summary>
internal sealed class ResourceDirectory(IGrainFactory grains) : IDisposable
{
    /// <summary>At most this many memberships are remembered (one entry each).</summary>
    public const int CacheCapacity = 200_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = CacheCapacity });

    public static readonly TimeSpan MemberTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommunityTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UnknownTtl = TimeSpan.FromSeconds(2);

    /// <summary>The member's community, or null when the member is not enrolled.</summary>
    public Task<string?> CommunityOf(string memberId) =>
        Cached($"member:{memberId}", MemberTtl, async () => (await grains.GetGrain<IMemberGrain>(memberId).GetProfile())?.CommunityId);

    /// <summary>The community's subdistrict, or null when the community is not defined.</summary>
    public Task<string?> SubdistrictOf(string communityId) =>
        Cached($"community:{communityId}", CommunityTtl, async () => (await grains.GetGrain<ICommunityGrain>(communityId).GetDefinition())?.SubdistrictId);

    /// <summary>Whether the volunteer has an open assignment to the member in that community.</summary>
    public async Task<bool> IsAssigned(string volunteerId, string memberId, string communityId)
    {
        var assignments = await grains.GetGrain<IVolunteerGrain>(volunteerId).GetAssignments();
        return assignments.Any(a => a.Open && a.MemberId == memberId && a.CommunityId == communityId);
    }

    /// <summary>Whether the volunteer is on the community's squad.</summary>
    public async Task<bool> IsSquadVolunteer(string communityId, string volunteerId) =>
        (await grains.GetGrain<ICommunityGrain>(communityId).GetVolunteers()).Any(v => v.VolunteerId == volunteerId);

    public void Dispose() => cache.Dispose();

    private async Task<string?> Cached(string key, TimeSpan ttl, Func<Task<string?>> lookUp)
    {
        if (cache.TryGetValue(key, out string? value))
        {
            return value;
        }

        value = await lookUp();
        cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = value is null ? UnknownTtl : ttl, Size = 1 });
        return value;
    }
}

using System.Collections.Concurrent;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Gateway;

/// <summary>
/// References to member grains, made once per member: Orleans' <c>GetGrain</c> looks the grain
/// interface up by reflection on every call (measured: about 4% of the gateway's CPU under load).
/// A reference is only an address, safe to share and valid for the life of the process.
/// </summary>
public sealed class MemberGrains(IGrainFactory grains)
{
    // Far more than the members active at once; cleared rather than grown without bound.
    private const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, IMemberGrain> _references = new(StringComparer.Ordinal);

    public IMemberGrain Get(string memberId)
    {
        if (_references.TryGetValue(memberId, out var reference))
        {
            return reference;
        }

        if (_references.Count >= Capacity)
        {
            _references.Clear();
        }

        return _references.GetOrAdd(memberId, grains.GetGrain<IMemberGrain>(GrainKeys.Member(memberId)));
    }
}

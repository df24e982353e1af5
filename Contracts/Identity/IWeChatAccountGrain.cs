namespace ProgressGrains.Contracts.Identity;

/// <summary>
/// A WeChat account (openid) and the one member it signs in as. Key: the openid. Bound when a
/// member is enrolled with that openid on the roster.
/// </summary>
[Alias("pg.IWeChatAccountGrain")]
public interface IWeChatAccountGrain : IGrainWithStringKey
{
    /// <summary>Binds the openid to a member; binding it again to the same member changes nothing, to another is AlreadyExists.</summary>
    [Alias("Bind")]
    Task Bind(string memberId);

    /// <summary>Releases the openid if it is bound to <paramref name="memberId"/>; otherwise changes nothing.</summary>
    [Alias("Release")]
    Task Release(string memberId);

    /// <summary>The member the openid signs in as, or null.</summary>
    [ReadOnly, Alias("GetMember")]
    Task<string?> GetMember();
}

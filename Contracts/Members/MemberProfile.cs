namespace ProgressGrains.Contracts.Members;

/// <summary>
/// Who a member is and where they belong, as the roster says. <see cref="OpenId"/> is the member's
/// WeChat openid for the mini-program's sign-in (bound to at most one member).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.MemberProfile")]
public sealed record MemberProfile(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string Name,
    [property: Id(2)] string CommunityId,
    [property: Id(3)] string GridId,
    [property: Id(4)] int? BirthYear,
    [property: Id(5)] MemberFlags Flags,
    [property: Id(6)] string? OpenId = null);

namespace ProgressGrains.Contracts;

/// <summary>
/// Builds every grain key in one place, so keys stay readable in logs and storage
/// (a member grain's key is the member id itself).
/// </summary>
public static class GrainKeys
{
    /// <summary>The one catalog grain of a deployment.</summary>
    public const string Catalog = "catalog";

    public static string Member(string memberId) => Ids.Require(memberId, nameof(memberId));

    public static string Community(string communityId) => Ids.Require(communityId, nameof(communityId));
}

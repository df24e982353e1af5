using System.Collections.Immutable;
using System.Security.Claims;
using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Security;

/// <summary>The roles a token can carry. Each but operator and analyst is scoped to one resource.</summary>
public static class Roles
{
    /// <summary>A party member: their own records (claim <c>member_id</c>).</summary>
    public const string Member = "member";

    /// <summary>A squad volunteer: their assignments and home deliveries (<c>volunteer_id</c>, <c>community_id</c>).</summary>
    public const string Volunteer = "volunteer";

    /// <summary>A community secretary: everything in their community (<c>community_id</c>).</summary>
    public const string CommunityAdmin = "community_admin";

    /// <summary>Subdistrict staff: everything in their subdistrict's communities, and seasons (<c>subdistrict_id</c>).</summary>
    public const string SubdistrictAdmin = "subdistrict_admin";

    /// <summary>Read-only rollups, no personal detail (optionally limited to one <c>subdistrict_id</c>).</summary>
    public const string Analyst = "analyst";

    /// <summary>Telemetry, dashboard, reflection; no personal records.</summary>
    public const string Operator = "operator";

    public static readonly ImmutableArray<string> All = [Member, Volunteer, CommunityAdmin, SubdistrictAdmin, Analyst, Operator];
}

/// <summary>The claims this deployment's tokens carry (names kept as issued: no inbound mapping).</summary>
public static class ProgressClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string MemberId = "member_id";
    public const string CommunityId = "community_id";
    public const string SubdistrictId = "subdistrict_id";
    public const string VolunteerId = "volunteer_id";
}

/// <summary>
/// Who is calling, from a validated token. A role counts only with the scope it needs (a member
/// role without <c>member_id</c> grants nothing).
/// </summary>
public sealed record Caller(
    string Subject,
    ImmutableHashSet<string> Roles,
    string? MemberId,
    string? CommunityId,
    string? SubdistrictId,
    string? VolunteerId)
{
    public bool Is(string role) => Roles.Contains(role);

    public bool IsMember(string memberId) => Is(Security.Roles.Member) && MemberId == memberId;

    public bool IsVolunteer(string volunteerId) => Is(Security.Roles.Volunteer) && VolunteerId == volunteerId;

    public bool AdministersCommunity(string communityId) => Is(Security.Roles.CommunityAdmin) && CommunityId == communityId;

    public bool AdministersSubdistrict(string subdistrictId) => Is(Security.Roles.SubdistrictAdmin) && SubdistrictId == subdistrictId;

    /// <summary>An analyst of this subdistrict (or of every subdistrict, when the token names none).</summary>
    public bool AnalysesSubdistrict(string? subdistrictId) =>
        Is(Security.Roles.Analyst) && (SubdistrictId is null || SubdistrictId == subdistrictId);

    /// <summary>The caller, or null when the token was not valid or names no subject.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(ProgressClaims.Subject)?.Value is not { } subject || !Ids.IsValid(subject))
        {
            return null;
        }

        string? Id(string type) => user.FindFirst(type)?.Value is { } value && Ids.IsValid(value) ? value : null;
        var memberId = Id(ProgressClaims.MemberId);
        var communityId = Id(ProgressClaims.CommunityId);
        var subdistrictId = Id(ProgressClaims.SubdistrictId);
        var volunteerId = Id(ProgressClaims.VolunteerId);
        var roles = user.FindAll(ProgressClaims.Role).Select(c => c.Value).Where(role => role switch
        {
            Security.Roles.Member => memberId is not null,
            Security.Roles.Volunteer => volunteerId is not null && communityId is not null,
            Security.Roles.CommunityAdmin => communityId is not null,
            Security.Roles.SubdistrictAdmin => subdistrictId is not null,
            Security.Roles.Analyst or Security.Roles.Operator => true,
            _ => false,
        }).ToImmutableHashSet();
        return new Caller(subject, roles, memberId, communityId, subdistrictId, volunteerId);
    }
}

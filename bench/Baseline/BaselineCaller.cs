using System.Security.Claims;
using Grpc.Core;

namespace ProgressGrains.Bench.Baseline;

/// <summary>The engine's access rules for the routes the baseline serves: a member writes and reads only themself.</summary>
public static class BaselineCaller
{
    /// <summary>The caller's community (from the token), when the caller is <paramref name="memberId"/>; otherwise PermissionDenied.</summary>
    public static string RequireMember(ServerCallContext context, string memberId)
    {
        var user = context.GetHttpContext().User;
        if (user.HasClaim("role", "member") && user.FindFirstValue("member_id") is { } own && own == memberId)
        {
            return user.FindFirstValue("community_id") ?? "";
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, $"You may not act for member '{memberId}': only the member themself may."));
    }

    /// <summary>Rollups: analysts, subdistrict admins, and the community's own admins.</summary>
    public static void RequireRollupReader(ServerCallContext context, string communityId)
    {
        var user = context.GetHttpContext().User;
        if (user.HasClaim("role", "analyst") || user.HasClaim("role", "subdistrict_admin")
            || (user.HasClaim("role", "community_admin") && user.FindFirstValue("community_id") == communityId))
        {
            return;
        }

        throw new RpcException(new Status(StatusCode.PermissionDenied, $"You may not read the rollup of community '{communityId}'."));
    }
}

using ProgressGrains.Api.V1;

namespace ProgressGrains.Gateway;

/// <summary>The leaderboard request's common fields, for communities and subdistricts alike.</summary>
internal static class Leaderboards
{
    public const int DefaultTop = 10;
    public const int MaxTop = 100;

    public static (string? SeasonId, int Top, string? MemberId) Validate(GetLeaderboardRequest request, RequestValidation validation)
    {
        if (request.Top < 0)
        {
            validation.Add("top", "top must not be negative.");
        }

        var top = request.Top == 0 ? DefaultTop : Math.Min(request.Top, MaxTop);
        return (validation.Season(request.SeasonId), top, validation.OptionalId(request.MemberId, "member_id"));
    }
}

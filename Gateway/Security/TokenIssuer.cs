using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Security;

/// <summary>What a token is to say: roles and the resources they are scoped to.</summary>
public sealed record TokenRequest(
    IReadOnlyList<string> Roles,
    string? MemberId = null,
    string? CommunityId = null,
    string? SubdistrictId = null,
    string? VolunteerId = null,
    string? Subject = null,
    TimeSpan? Lifetime = null);

public sealed record IssuedToken(string Token, string Subject, DateTimeOffset ExpiresAt);

/// <summary>Issues this deployment's tokens: HMAC-SHA256 JWTs with the configured issuer and audience.</summary>
public sealed class TokenIssuer(SigningKeyRing keys, IOptions<AuthOptions> options, TimeProvider time)
{
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(30);

    private readonly JsonWebTokenHandler _handler = new();

    /// <exception cref="ArgumentException">The request names an unknown role, or a role without the id it is scoped to.</exception>
    public IssuedToken Issue(TokenRequest request)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(request));
        }

        var subject = request.Subject ?? DefaultSubject(request);
        var now = time.GetUtcNow();
        var expires = now + (request.Lifetime ?? options.Value.TokenLifetime);
        var claims = new List<Claim> { new(ProgressClaims.Subject, subject) };
        claims.AddRange(request.Roles.Distinct().Select(role => new Claim(ProgressClaims.Role, role)));
        AddIfSet(claims, ProgressClaims.MemberId, request.MemberId);
        AddIfSet(claims, ProgressClaims.CommunityId, request.CommunityId);
        AddIfSet(claims, ProgressClaims.SubdistrictId, request.SubdistrictId);
        AddIfSet(claims, ProgressClaims.VolunteerId, request.VolunteerId);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.SigningKey, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, subject, expires);
    }

    /// <summary>Everything wrong with a token request, as sentences (empty when it can be issued).</summary>
    public static List<string> Problems(TokenRequest request)
    {
        var problems = new List<string>();
        if (request.Roles.Count == 0)
        {
            problems.Add($"Name at least one role ({string.Join(", ", Roles.All)}).");
        }

        foreach (var role in request.Roles.Distinct())
        {
            switch (role)
            {
                case Roles.Member when request.MemberId is null:
                    problems.Add("The member role needs a member id (--member).");
                    break;
                case Roles.Volunteer when request.VolunteerId is null || request.CommunityId is null:
                    problems.Add("The volunteer role needs a volunteer id and their community (--volunteer, --community).");
                    break;
                case Roles.CommunityAdmin when request.CommunityId is null:
                    problems.Add("The community_admin role needs a community id (--community).");
                    break;
                case Roles.SubdistrictAdmin when request.SubdistrictId is null:
                    problems.Add("The subdistrict_admin role needs a subdistrict id (--subdistrict).");
                    break;
                case Roles.Member or Roles.Volunteer or Roles.CommunityAdmin or Roles.SubdistrictAdmin or Roles.Analyst or Roles.Operator:
                    break;
                default:
                    problems.Add($"Unknown role '{role}'; the roles are {string.Join(", ", Roles.All)}.");
                    break;
            }
        }

        foreach (var (what, id) in new[] { ("member", request.MemberId), ("community", request.CommunityId), ("subdistrict", request.SubdistrictId), ("volunteer", request.VolunteerId), ("subject", request.Subject) })
        {
            if (id is not null && Ids.Problem(id) is { } problem)
            {
                problems.Add($"The {what} id {problem}.");
            }
        }

        if (request.Lifetime is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > MaximumLifetime))
        {
            problems.Add($"A token lives between a minute and {MaximumLifetime.TotalDays:0} days.");
        }

        return problems;
    }

    private static string DefaultSubject(TokenRequest request) =>
        request.MemberId ?? request.VolunteerId
        ?? (request.CommunityId is { } community ? $"{community}-admin"
            : request.SubdistrictId is { } subdistrict ? $"{subdistrict}-{request.Roles[0]}"
            : request.Roles[0]);

    private static void AddIfSet(List<Claim> claims, string type, string? value)
    {
        if (value is not null)
        {
            claims.Add(new Claim(type, value));
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// Tokens as the deployment issues them (HS256, issuer, audience, claims role, member_id,
/// community_id, subdistrict_id, sub), signed with a key made for this run only. Both systems
/// validate the same tokens, so each simulated mini-program sends its own member's token to both.
/// </summary>
public sealed class BenchTokens
{
    public const string Issuer = "progressgrains";
    public const string Audience = "progressgrains-api";

    private static readonly JsonWebTokenHandler Handler = new();

    private readonly ConcurrentDictionary<string, string> _members = new(StringComparer.Ordinal);
    private readonly SigningCredentials _credentials;

    public BenchTokens()
    {
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _credentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>The key, base64, as the engine takes it (<c>--Auth:SigningKeys:0=</c>).</summary>
    public string SigningKey { get; }

    /// <summary>A member's own token; the community claim is what a plain system would route the member's totals by.</summary>
    public string Member(BenchMember member) =>
        _members.GetOrAdd(member.MemberId, _ => Mint(member.MemberId, ("role", "member"), ("member_id", member.MemberId), ("community_id", member.CommunityId)));

    /// <summary>Seasons and rosters: the subdistrict's admin.</summary>
    public string SubdistrictAdmin(string subdistrictId) =>
        Mint($"{subdistrictId}-bench-admin", ("role", "subdistrict_admin"), ("subdistrict_id", subdistrictId));

    /// <summary>Rollup reads: an analyst of the subdistrict (no personal records).</summary>
    public string Analyst(string subdistrictId) =>
        Mint($"{subdistrictId}-bench-analyst", ("role", "analyst"), ("subdistrict_id", subdistrictId));

    /// <summary>The operators' scrape (<c>/metrics</c>).</summary>
    public string Operator() => Mint("bench-operator", ("role", "operator"));

    private string Mint(string subject, params (string Type, string Value)[] claims)
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([.. claims.Select(c => new Claim(c.Type, c.Value)), new Claim("sub", subject)]),
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            // Long enough for the longest run, with its setup and verification.
            Expires = now.AddHours(6),
            SigningCredentials = _credentials,
        });
    }
}

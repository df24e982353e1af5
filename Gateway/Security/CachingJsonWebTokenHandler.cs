using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ProgressGrains.Gateway.Security;

/// <summary>
/// The bearer-token handler of this deployment's one JWT scheme: <see cref="JsonWebTokenHandler"/>,
/// remembering each token it accepted until that token expires. A mini-program sends the same
/// token with every request for hours; validating it again each time (parse, HMAC, build the
/// claims) was 7% of the gateway's CPU and a fifth of what it allocated under load.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is accepted that validation would refuse. The cache is keyed by the whole token
/// string, so any change to it (another signature, payload or header) is validated afresh; only
/// successes are kept, and only until the token's own expiry (<c>exp</c>), past which validation
/// runs again and decides (it allows <c>Auth:ClockSkew</c> more). What can end a token's validity
/// before it expires is a change of signing keys, issuer or audience, and those are read once at
/// start-up (<see cref="SigningKeyRing"/>): changing them means a restart, which empties the cache.
/// </para>
/// <para>
/// One instance serves one scheme: entries are not keyed by the validation parameters. At most
/// <see cref="Capacity"/> tokens are kept (about 3 KB each); past that, tokens are validated every
/// time until expired ones are evicted.
/// </para>
/// </remarks>
internal sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    public const int Capacity = 50_000;

    private readonly TimeProvider _time;
    private readonly MemoryCache _accepted;

    public CachingJsonWebTokenHandler(TimeProvider time, int capacity = Capacity)
    {
        _time = time;
        _accepted = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity, ExpirationScanFrequency = TimeSpan.FromMinutes(1) });
    }

    /// <summary>Tokens held now (for tests and diagnostics).</summary>
    public int Count => _accepted.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_accepted.TryGetValue(token, out Accepted? hit) && hit!.ValidTo > _time.GetUtcNow())
        {
            return hit.Result;
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo > DateTime.MinValue)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
            if (expires > _time.GetUtcNow())
            {
                // Built now, so that requests sharing the result only read it.
                _ = result.ClaimsIdentity;
                _accepted.Set(token, new Accepted(result, expires), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
            }
        }

        return result;
    }

    public void Dispose() => _accepted.Dispose();

    private sealed record Accepted(TokenValidationResult Result, DateTimeOffset ValidTo);
}

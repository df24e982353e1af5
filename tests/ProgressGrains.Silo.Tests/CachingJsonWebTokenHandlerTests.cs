using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Silo.Tests;

/// <summary>
/// The gateway's token handler remembers accepted tokens; it must never accept one that
/// validation would refuse (expired, altered, signed with another key).
/// </summary>
public sealed class CachingJsonWebTokenHandlerTests
{
    private const string Issuer = "progress";
    private const string Audience = "progress-api";
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    // Starts at the real time: validation itself reads the real clock.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32)) { KeyId = "k1" };

    [Fact]
    public async Task AnAcceptedToken_IsServedFromTheCache_OnlyUntilItExpires()
    {
        using var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Issue(_key, TimeSpan.FromMinutes(10));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.Same(first, second);
        Assert.Equal("m1", second.ClaimsIdentity.FindFirst("member_id")?.Value);

        // Past exp (on the handler's clock) the cache no longer answers: validation does again.
        _clock.Advance(TimeSpan.FromMinutes(10));
        var after = await handler.ValidateTokenAsync(token, Parameters());
        Assert.NotSame(first, after);
    }

    [Fact]
    public async Task AnAcceptedToken_IsRefusedOnceItHasExpired()
    {
        // Validation reads the real clock, so this token lives two seconds (exp has whole seconds).
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var token = Issue(_key, TimeSpan.FromSeconds(2), now: DateTime.UtcNow);
        var parameters = Parameters(skew: TimeSpan.Zero);
        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);
        Assert.Equal(1, handler.Count);

        var expires = new JsonWebToken(token).ValidTo;
        await Task.Delay(expires - DateTime.UtcNow + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        var expired = await handler.ValidateTokenAsync(token, parameters);
        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
    }

    [Fact]
    public async Task AnAlteredOrForeignToken_IsValidatedAfresh_AndRefused()
    {
        using var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Issue(_key, TimeSpan.FromMinutes(10));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        // The same claims under another signature: a different string, so not the cached one.
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))}";
        var foreign = Issue(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "k1" }, TimeSpan.FromMinutes(10));

        Assert.False((await handler.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(foreign, Parameters())).IsValid);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task ARefusedToken_IsNotRemembered()
    {
        using var handler = new CachingJsonWebTokenHandler(_clock);
        var notYetValid = Issue(_key, TimeSpan.FromMinutes(10), notBefore: TimeSpan.FromMinutes(5));
        var valid = Issue(_key, TimeSpan.FromMinutes(10));

        Assert.False((await handler.ValidateTokenAsync(notYetValid, Parameters())).IsValid);
        Assert.True((await handler.ValidateTokenAsync(valid, Parameters())).IsValid);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task AFullCache_StillValidatesEveryToken()
    {
        using var handler = new CachingJsonWebTokenHandler(_clock, capacity: 1);
        var tokens = Enumerable.Range(0, 3).Select(i => Issue(_key, TimeSpan.FromMinutes(10 + i))).ToArray();

        for (var round = 0; round < 2; round++)
        {
            foreach (var token in tokens)
            {
                Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
            }
        }

        Assert.True(handler.Count <= 1);
    }

    private string Issue(SecurityKey key, TimeSpan lifetime, TimeSpan? notBefore = null, DateTime? now = null)
    {
        var issued = now ?? _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "member:m1"), new Claim("role", "member"), new Claim("member_id", "m1")]),
            IssuedAt = issued,
            NotBefore = issued + (notBefore ?? TimeSpan.Zero),
            Expires = issued + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    // The gateway's own parameters, with this test's key.
    private TokenValidationParameters Parameters(TimeSpan? skew = null) =>
        AuthExtensions.ValidationParameters(new AuthOptions { Issuer = Issuer, Audience = Audience, ClockSkew = skew ?? Skew }, [_key]);
}

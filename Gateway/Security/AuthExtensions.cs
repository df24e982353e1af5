using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ProgressGrains.Gateway.Security.WeChat;

namespace ProgressGrains.Gateway.Security;

public static class AuthExtensions
{
    /// <summary>Endpoints for operators only (reflection, dashboard, metrics).</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>What a bearer token must be: signed (HS256) by one of <paramref name="keys"/>, this deployment's issuer and audience, within its lifetime.</summary>
    public static TokenValidationParameters ValidationParameters(AuthOptions auth, IEnumerable<SecurityKey> keys) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = auth.ClockSkew,
        NameClaimType = ProgressClaims.Subject,
        RoleClaimType = ProgressClaims.Role,
    };

    /// <summary>Bearer tokens signed by this deployment's keys, the access policy, and sign-in with WeChat.</summary>
    public static IServiceCollection AddProgressAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.WeChat.Mode != WeChatLoginMode.WeChat || (!string.IsNullOrEmpty(o.WeChat.AppId) && !string.IsNullOrEmpty(o.WeChat.Secret)),
                "Auth:WeChat:Mode is WeChat, so Auth:WeChat:AppId and Auth:WeChat:Secret are needed (from the mini-program's admin console).")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero && o.TokenLifetime <= TokenIssuer.MaximumLifetime,
                "Auth:TokenLifetime must be between a minute and 30 days.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<ResourceDirectory>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<AuthorizationInterceptor>();
        services.AddSingleton(sp => new CachingJsonWebTokenHandler(sp.GetRequiredService<TimeProvider>()));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing, IOptions<AuthOptions>, CachingJsonWebTokenHandler>((jwt, keys, auth, handler) =>
            {
                // Accepted tokens are remembered until they expire (see CachingJsonWebTokenHandler).
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(handler);

                // Claims keep the names they were issued with (role, member_id, ...).
                jwt.MapInboundClaims = false;

                // Nothing reads the raw token back from the authentication properties.
                jwt.SaveToken = false;
                Telemetry.TelemetryExtensions.AcceptDashboardTokens(jwt.Events ??= new JwtBearerEvents());
                jwt.TokenValidationParameters = ValidationParameters(auth.Value, keys.Keys);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.RequireRole(Roles.Operator));

        var mode = configuration.GetValue($"{AuthOptions.Section}:WeChat:Mode", WeChatLoginMode.Disabled);
        switch (mode)
        {
            case WeChatLoginMode.WeChat:
                services.AddHttpClient<IWeChatLogin, WeChatCode2SessionLogin>();
                break;
            case WeChatLoginMode.Development:
                services.AddSingleton<IWeChatLogin, DevelopmentWeChatLogin>();
                break;
            default:
                services.AddSingleton<IWeChatLogin, DisabledWeChatLogin>();
                break;
        }

        return services;
    }
}

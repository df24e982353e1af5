namespace ProgressGrains.Gateway.Security;

/// <summary>
/// Tokens (section <c>Auth</c>): this deployment signs its own JWTs (HMAC-SHA256) and accepts only
/// those. Keys come from <see cref="SigningKeys"/> (base64, at least 32 bytes; the first signs, all
/// validate, so a key can be rotated), else from <see cref="SigningKeyFile"/>, else, on the embedded
/// default only, from a development key the silo creates in its data directory.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "progressgrains";

    public string Audience { get; set; } = "progressgrains-api";

    public List<string> SigningKeys { get; set; } = [];

    public string? SigningKeyFile { get; set; }

    /// <summary>Where the embedded silo keeps its development key (created on first start); not for production.</summary>
    public string? DevelopmentKeyFile { get; set; }

    /// <summary>How long a token issued at sign-in stays valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Tolerated clock difference between issuer and gateway.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    public WeChatOptions WeChat { get; set; } = new();
}

/// <summary>How the mini-program's <c>wx.login</c> code is exchanged for an openid.</summary>
public enum WeChatLoginMode
{
    /// <summary>Sign-in with WeChat is refused (FailedPrecondition).</summary>
    Disabled,

    /// <summary>No WeChat: the code is taken as the openid itself. For the embedded default and tests only.</summary>
    Development,

    /// <summary>WeChat's code2Session with <see cref="WeChatOptions.AppId"/> and <see cref="WeChatOptions.Secret"/>.</summary>
    WeChat,
}

/// <summary>Section <c>Auth:WeChat</c>.</summary>
public sealed class WeChatOptions
{
    public WeChatLoginMode Mode { get; set; } = WeChatLoginMode.Disabled;

    /// <summary>The mini-program's appid (from the WeChat admin console).</summary>
    public string? AppId { get; set; }

    /// <summary>The mini-program's AppSecret; keep it in the environment or a secret store, not in files.</summary>
    public string? Secret { get; set; }

    /// <summary>WeChat's API base address.</summary>
    public Uri Endpoint { get; set; } = new("https://api.weixin.qq.com");

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

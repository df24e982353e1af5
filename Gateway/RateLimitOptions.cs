namespace ProgressGrains.Gateway;

/// <summary>Request limits (configuration section <c>RateLimits</c>): token buckets per member and per client address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sustained requests per second about one member (a mini-program, its retries, an admin).</summary>
    public int PerMemberPerSecond { get; set; } = 50;

    /// <summary>How many requests about one member may come at once before the rate applies.</summary>
    public int PerMemberBurst { get; set; } = 200;

    /// <summary>Sustained requests per second from one client address (a gateway in front may need more).</summary>
    public int PerClientPerSecond { get; set; } = 2000;

    public int PerClientBurst { get; set; } = 4000;
}

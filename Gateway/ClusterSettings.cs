namespace ProgressGrains.Gateway;

/// <summary>
/// How silos and clients find one another (<c>Orleans:*</c>): the same defaults on both sides, so a
/// stand-alone gateway joins a silo started with no configuration.
/// </summary>
public sealed record ClusterSettings(string ClusterId, string ServiceId, int SiloPort, int GatewayPort)
{
    public static ClusterSettings From(IConfiguration configuration) => new(
        configuration["Orleans:ClusterId"] is { Length: > 0 } clusterId ? clusterId : "progress",
        configuration["Orleans:ServiceId"] is { Length: > 0 } serviceId ? serviceId : "progress-grains",
        configuration.GetValue("Orleans:Endpoints:SiloPort", 11111),
        configuration.GetValue("Orleans:Endpoints:GatewayPort", 30000));
}

using Orleans.Dashboard;
using System.Net;

namespace ProgressGrains.Gateway;

/// <summary>
/// How silos and clients find one another (<c>Orleans:*</c>), with the same defaults on both sides
/// so a stand-alone gateway joins a silo started with the same configuration. With
/// <c>Storage:Provider=PostgreSQL</c> membership lives in the database that
/// <c>ConnectionStrings:Progress</c> names; otherwise one silo on localhost.
/// </summary>
public sealed record ClusterSettings(
    string ClusterId,
    string ServiceId,
    int SiloPort,
    int GatewayPort,
    IPAddress AdvertisedAddress,
    string? MembershipConnectionString)
{
    public const string NpgsqlInvariant = "Npgsql";

    public static ClusterSettings From(IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"];
        var postgres = string.Equals(provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            || string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase);
        var address = configuration["Orleans:Endpoints:AdvertisedIPAddress"];
        return new ClusterSettings(
            configuration["Orleans:ClusterId"] is { Length: > 0 } clusterId ? clusterId : "progress",
            configuration["Orleans:ServiceId"] is { Length: > 0 } serviceId ? serviceId : "progress-grains",
            configuration.GetValue("Orleans:Endpoints:SiloPort", 11111),
            configuration.GetValue("Orleans:Endpoints:GatewayPort", 30000),
            string.IsNullOrEmpty(address) ? IPAddress.Loopback : IPAddress.Parse(address),
            postgres ? configuration.GetConnectionString("Progress") : null);
    }

    /// <summary>An Orleans client of this cluster: through the membership table, or localhost.</summary>
    public void ConfigureClient(IClientBuilder client)
    {
        // Traces continue from the gateway into the grains; the dashboard reads the silos' numbers.
        client.AddActivityPropagation();
        client.AddDashboard();
        if (MembershipConnectionString is { } connectionString)
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });
            client.Configure<Orleans.Configuration.ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ServiceId;
            });
        }
        else
        {
            client.UseLocalhostClustering(GatewayPort, ServiceId, ClusterId);
        }
    }
}

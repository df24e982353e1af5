using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using ProgressGrains.Gateway;
using ProgressGrains.Gateway.Telemetry;
using ProgressGrains.Grains;
using ProgressGrains.Silo.Storage;

namespace ProgressGrains.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// The Orleans silo with its storage and clustering. Embedded default: localhost clustering and
    /// SQLite. PostgreSQL: membership, reminders and grain state in the database, so silos on other
    /// ports or hosts form one cluster. Membership timings come from <c>Orleans:Membership</c>
    /// (the <see cref="ClusterMembershipOptions"/> property names).
    /// </summary>
    public static WebApplicationBuilder AddProgressSilo(this WebApplicationBuilder builder, StorageSettings storage)
    {
        var cluster = ClusterSettings.From(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            // Grain calls continue the caller's trace; the dashboard (operators, /dashboard) reads this silo.
            silo.AddActivityPropagation();
            silo.AddDashboard();
            if (storage.IsPostgreSql)
            {
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = storage.Invariant;
                    options.ConnectionString = storage.ConnectionString;
                });
                silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort);
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }

            // Durable reminders in both modes: the daily outreach evaluation survives restarts.
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = storage.Invariant;
                options.ConnectionString = storage.ConnectionString;
            });
            var groupCommit = builder.Configuration.GetSection(GroupCommitOptions.Section).Get<GroupCommitOptions>() ?? new GroupCommitOptions();
            if (storage.IsPostgreSql && groupCommit.Enabled)
            {
                // Many grains' writes share one commit (docs/benchmarks.md measures what that buys).
                silo.Services.AddGrainStorage(StorageNames.Progress, (services, name) => new GroupCommitGrainStorage(
                    name, storage.ConnectionString, groupCommit,
                    new BufferedGrainStorageSerializer(services.GetRequiredService<Serializer>()),
                    services.GetRequiredService<IOptions<ClusterOptions>>(),
                    services.GetRequiredService<IActivatorProvider>(),
                    services.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
            }
            else
            {
                silo.AddAdoNetGrainStorage(StorageNames.Progress, options => options.Configure<Serializer>((o, serializer) =>
                {
                    o.Invariant = storage.Invariant;
                    o.ConnectionString = storage.ConnectionString;
                    // Orleans' own binary format: compact, and tolerant of added fields through [Id].
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
            }
        });
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.Services.AddProgressGrains(builder.Configuration);
        builder.Services.AddSingleton(storage);
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [TelemetryExtensions.ReadyTag])
            .AddCheck<MembershipHealthCheck>("membership", tags: [TelemetryExtensions.ReadyTag]);
        return builder;
    }
}

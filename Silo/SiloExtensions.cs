using Orleans.Serialization;
using Orleans.Storage;
using ProgressGrains.Gateway;
using ProgressGrains.Grains;
using ProgressGrains.Silo.Storage;

namespace ProgressGrains.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// The Orleans silo with its storage and clustering: configuration keys <c>Orleans:ClusterId</c>,
    /// <c>Orleans:ServiceId</c>, <c>Orleans:Endpoints:SiloPort</c> and <c>Orleans:Endpoints:GatewayPort</c>.
    /// </summary>
    public static WebApplicationBuilder AddProgressSilo(this WebApplicationBuilder builder, StorageSettings storage)
    {
        var cluster = ClusterSettings.From(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            silo.AddAdoNetGrainStorage(StorageNames.Progress, options => options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = StorageSettings.SqliteInvariant;
                o.ConnectionString = storage.ConnectionString;
                // Orleans' own binary format: compact, and tolerant of added fields through [Id].
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        });
        builder.Services.AddProgressGrains(builder.Configuration);
        return builder;
    }

    public static Task<MigrationReport> MigrateAsync(this StorageSettings storage, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(storage.DataDirectory);
        return SqliteSchema.MigrateAsync(storage.ConnectionString, cancellationToken);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// The grain-storage serializer the silo configures (Silo/SiloExtensions.cs: Orleans' binary format
/// through <see cref="OrleansGrainStorageSerializer"/>), without a silo around it.
/// </summary>
internal static class StorageFormat
{
    public static IGrainStorageSerializer Serializer { get; } = Create();

    private static OrleansGrainStorageSerializer Create()
    {
        var services = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(MemberState).Assembly).AddAssembly(typeof(MemberContribution).Assembly))
            .BuildServiceProvider();
        return new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    }
}

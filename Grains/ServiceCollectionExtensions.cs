using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Communities;
using ProgressGrains.Grains.Telemetry;

namespace ProgressGrains.Grains;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers what the grains need besides Orleans itself; the host adds the storage provider.</summary>
    public static IServiceCollection AddProgressGrains(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<RollupOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RollupOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(ProgressClock.System);
        services.TryAddSingleton<SeasonCatalog>();
        services.TryAddSingleton<ProgressMetrics>();
        services.TryAddSingleton<ContributionRelay>();
        return services;
    }
}

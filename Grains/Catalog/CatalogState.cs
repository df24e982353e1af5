using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Grains.Catalog;

[GenerateSerializer, Alias("pg.CatalogState")]
internal sealed class CatalogState
{
    [Id(0)] public Dictionary<string, SeasonDefinition> Seasons { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public string? CurrentSeasonId { get; set; }
    [Id(2)] public HashSet<string> DataSets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Data sets being loaded, with when the claim lapses.</summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> DataSetClaims { get; set; } = new(StringComparer.Ordinal);
}

using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Communities;

/// <summary>A community (社区) of a subdistrict (街道) and its grids (网格).</summary>
[GenerateSerializer, Immutable, Alias("pg.CommunityDefinition")]
public sealed record CommunityDefinition(
    [property: Id(0)] string CommunityId,
    [property: Id(1)] string Name,
    [property: Id(2)] string SubdistrictId,
    [property: Id(3)] ImmutableArray<string> Grids);

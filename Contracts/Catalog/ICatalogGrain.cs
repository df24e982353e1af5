namespace ProgressGrains.Contracts.Catalog;

/// <summary>
/// The catalog of seasons: one grain per deployment (key <see cref="GrainKeys.Catalog"/>).
/// Read on every event through a per-silo cache, so reads interleave.
/// </summary>
[Alias("pg.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithStringKey
{
    /// <summary>The season with this id, or the current season for <c>current</c> or an empty id; null when unknown.</summary>
    [AlwaysInterleave, Alias("GetSeason")]
    Task<SeasonSnapshot?> GetSeason(string seasonId, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a season; with <paramref name="makeCurrent"/> it becomes the current season.</summary>
    [Alias("UpsertSeason")]
    Task UpsertSeason(SeasonDefinition season, bool makeCurrent);

    /// <summary>Whether a named data set (e.g. the demo) was loaded before.</summary>
    [AlwaysInterleave, Alias("HasDataSet")]
    Task<bool> HasDataSet(string name);

    /// <summary>
    /// Claims the loading of a named data set for <paramref name="lease"/>, so that of several
    /// silos started at once only one loads it; false when it is loaded or another holds the claim.
    /// </summary>
    [Alias("TryClaimDataSet")]
    Task<bool> TryClaimDataSet(string name, TimeSpan lease);

    /// <summary>Records that a named data set was loaded.</summary>
    [Alias("MarkDataSet")]
    Task MarkDataSet(string name);
}

/// <summary>A season as the catalog holds it, with whether it is current.</summary>
[GenerateSerializer, Immutable, Alias("pg.SeasonSnapshot")]
public sealed record SeasonSnapshot(
    [property: Id(0)] SeasonDefinition Season,
    [property: Id(1)] bool Current);

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Grains.Catalog;

/// <summary>
/// A per-silo cache of the catalog, so that events do not all queue on the one catalog grain.
/// Entries live for <see cref="RollupOptions.CatalogCacheDuration"/>; a catalog change on this silo
/// clears them at once.
/// </summary>
public sealed class SeasonCatalog(IGrainFactory grains, TimeProvider time, IOptions<RollupOptions> options)
{
    public const string CurrentAlias = "current";

    private readonly ConcurrentDictionary<string, (ResolvedSeason? Season, long ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private readonly long _ttlTicks = (long)(options.Value.CatalogCacheDuration.TotalSeconds * time.TimestampFrequency);

    public static bool IsCurrent(string? seasonId) =>
        string.IsNullOrEmpty(seasonId) || string.Equals(seasonId, CurrentAlias, StringComparison.OrdinalIgnoreCase);

    /// <summary>The season, or null when the catalog has no such season (or no current season).</summary>
    public async ValueTask<ResolvedSeason?> Find(string? seasonId)
    {
        var key = IsCurrent(seasonId) ? CurrentAlias : seasonId!;
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Season;
        }

        var snapshot = await grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).GetSeason(key);
        var season = snapshot is null ? null : new ResolvedSeason(snapshot);
        _entries[key] = (season, now + _ttlTicks);
        return season;
    }

    /// <summary>The season, or a NotFound refusal naming the field.</summary>
    public async ValueTask<ResolvedSeason> Require(string? seasonId)
    {
        if (!IsCurrent(seasonId) && Ids.Problem(seasonId) is { } problem)
        {
            throw ProgressException.Invalid("season_id", $"season_id '{seasonId}' {problem}.");
        }

        return await Find(seasonId) ?? throw (IsCurrent(seasonId)
            ? ProgressException.NotFound("season_id", "No season is current yet; load one (e.g. start the silo with --demo).")
            : ProgressException.NotFound("season_id", $"Season '{seasonId}' does not exist."));
    }

    public void Invalidate() => _entries.Clear();
}

using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Grains.Catalog;

internal sealed class CatalogGrain(
    [PersistentState("catalog", StorageNames.Progress)] IPersistentState<CatalogState> state,
    SeasonCatalog cache,
    ProgressClock time) : Grain, ICatalogGrain
{
    public Task<SeasonSnapshot?> GetSeason(string seasonId, CancellationToken cancellationToken)
    {
        var id = SeasonCatalog.IsCurrent(seasonId) ? state.State.CurrentSeasonId : seasonId;
        var snapshot = id is not null && state.State.Seasons.TryGetValue(id, out var season)
            ? new SeasonSnapshot(season, id == state.State.CurrentSeasonId)
            : null;
        return Task.FromResult(snapshot);
    }

    public async Task UpsertSeason(SeasonDefinition season, bool makeCurrent)
    {
        SeasonValidator.Validate(season);
        var unchanged = state.State.Seasons.TryGetValue(season.SeasonId, out var existing)
            && SeasonValidator.SameContent(existing, season)
            && (!makeCurrent || state.State.CurrentSeasonId == season.SeasonId);
        if (unchanged)
        {
            return;
        }

        state.State.Seasons[season.SeasonId] = season;
        if (makeCurrent || state.State.CurrentSeasonId is null)
        {
            state.State.CurrentSeasonId = season.SeasonId;
        }

        await state.WriteStateAsync();
        cache.Invalidate();
    }

    public Task<bool> HasDataSet(string name) => Task.FromResult(state.State.DataSets.Contains(name));

    public async Task<bool> TryClaimDataSet(string name, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        if (state.State.DataSets.Contains(name)
            || (state.State.DataSetClaims.TryGetValue(name, out var until) && until > now))
        {
            return false;
        }

        state.State.DataSetClaims[name] = now + lease;
        await state.WriteStateAsync();
        return true;
    }

    public async Task MarkDataSet(string name)
    {
        var claimed = state.State.DataSetClaims.Remove(name);
        if (state.State.DataSets.Add(name) || claimed)
        {
            await state.WriteStateAsync();
        }
    }
}

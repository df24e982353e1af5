using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Gateway.Services;

/// <summary>The season catalog over gRPC and JSON.</summary>
internal sealed class SeasonApi(IGrainFactory grains) : SeasonService.SeasonServiceBase
{
    public override async Task<UpsertSeasonResponse> UpsertSeason(UpsertSeasonRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        if (request.Season is null)
        {
            validation.Add("season", "The body must be the season.");
            validation.ThrowIfInvalid();
        }

        var season = request.Season!.ToDomain(validation);
        validation.ThrowIfInvalid();

        var catalog = grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog);
        await catalog.UpsertSeason(season, request.MakeCurrent);
        var stored = await catalog.GetSeason(season.SeasonId, context.CancellationToken);
        return new UpsertSeasonResponse { Season = stored!.ToApi() };
    }

    public override async Task<GetSeasonResponse> GetSeason(GetSeasonRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var snapshot = await grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).GetSeason(seasonId ?? "current", context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, seasonId is null
                ? "No season is current yet; load one (e.g. start the silo with --demo)."
                : $"Season '{seasonId}' does not exist."));
        return new GetSeasonResponse { Season = snapshot.ToApi() };
    }
}

using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Gateway.Services;

/// <summary>The season catalog over gRPC and JSON.</summary>
internal sealed class SeasonApi(IGrainFactory grains) : SeasonService.SeasonServiceBase
{
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

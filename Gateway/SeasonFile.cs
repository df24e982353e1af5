using Google.Protobuf;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts.Catalog;

namespace ProgressGrains.Gateway;

/// <summary>
/// A season file: the public API's <c>Season</c> message in JSON (lowerCamelCase or proto names,
/// enums by name), the same body <c>PUT /v1/seasons/{season_id}</c> takes.
/// </summary>
public static class SeasonFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>The season in <paramref name="json"/>; a file with a mistake is refused with every problem named.</summary>
    public static SeasonDefinition Parse(string json)
    {
        Season season;
        try
        {
            season = Parser.Parse<Season>(json);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"The season file is not a valid Season in JSON: {ex.Message}", ex);
        }

        var validation = new RequestValidation();
        var definition = season.ToDomain(validation);
        try
        {
            validation.ThrowIfInvalid();
        }
        catch (RpcException ex)
        {
            throw new FormatException($"The season file has problems: {ex.Status.Detail}", ex);
        }

        return definition;
    }
}

using Grpc.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Gateway.Roster;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Gateway.Services;

/// <summary>Roster import: a streamed upload over gRPC, or a CSV (or multipart) body over JSON.</summary>
internal sealed class RosterApi(RosterImporter importer) : RosterService.RosterServiceBase
{
    public const int MaxUploadBytes = 16 * 1024 * 1024;

    public override async Task<ImportRosterReport> UploadRoster(IAsyncStreamReader<RosterChunk> requestStream, ServerCallContext context)
    {
        using var file = new MemoryStream();
        ImportOptions? options = null;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            options ??= requestStream.Current.Options ?? new ImportOptions();
            if (file.Length + requestStream.Current.Data.Length > MaxUploadBytes)
            {
                throw ProgressException.Invalid("data", $"The roster is larger than {MaxUploadBytes / (1024 * 1024)} MB; split it by community.");
            }

            requestStream.Current.Data.WriteTo(file);
        }

        file.Position = 0;
        return await importer.ImportAsync(file, options ?? new ImportOptions(), context.Caller(), context.CancellationToken);
    }

    public override async Task<ImportRosterReport> ImportRoster(ImportRosterRequest request, ServerCallContext context)
    {
        var body = request.File ?? new Google.Api.HttpBody();
        var options = new ImportOptions { ImportValidRows = request.ImportValidRows, DryRun = request.DryRun };
        using var file = await CsvOf(body, context.CancellationToken);
        return await importer.ImportAsync(file, options, context.Caller(), context.CancellationToken);
    }

    /// <summary>The CSV in the body: the body itself, or the first file part of a multipart form.</summary>
    private static async Task<Stream> CsvOf(Google.Api.HttpBody body, CancellationToken cancellationToken)
    {
        var bytes = body.Data.ToByteArray();
        if (!MediaTypeHeaderValue.TryParse(body.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new MemoryStream(bytes, writable: false);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw ProgressException.Invalid("file", "The multipart body has no boundary.");
        }

        var reader = new MultipartReader(boundary, new MemoryStream(bytes, writable: false));
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    var part = new MemoryStream();
                    await section.Body.CopyToAsync(part, cancellationToken);
                    part.Position = 0;
                    return part;
                }
            }
        }
        catch (IOException ex)
        {
            throw ProgressException.Invalid("file", $"The multipart body is malformed: {ex.Message}");
        }

        throw ProgressException.Invalid("file", "The multipart form has no file part: send the CSV as a file field (e.g. curl -F file=@roster.csv).");
    }
}

using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// Prepares a running engine through its public API, as an operator would: loads the season (made
/// current) and uploads the roster as CSV (what <c>progress season load</c> and <c>import roster</c> do).
/// </summary>
public static class EngineSetup
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Returns how long the roster import took.</summary>
    public static async Task<TimeSpan> PrepareAsync(Uri grpcBase, BenchTokens tokens, BenchSeason season, BenchRoster roster, CancellationToken cancellationToken)
    {
        await LoadSeasonAsync(grpcBase, tokens, season, cancellationToken);
        return await ImportRosterAsync(grpcBase, tokens, roster, cancellationToken);
    }

    /// <summary>Loads the season and makes it current.</summary>
    public static async Task LoadSeasonAsync(Uri grpcBase, BenchTokens tokens, BenchSeason season, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(grpcBase);
        var seasons = new SeasonService.SeasonServiceClient(channel);
        await seasons.UpsertSeasonAsync(new UpsertSeasonRequest { Season = season.ToProto(), MakeCurrent = true },
            Options(tokens.SubdistrictAdmin(BenchRoster.SubdistrictId), cancellationToken));
    }

    /// <summary>Uploads the roster as one CSV; returns how long the import took (upload and answer).</summary>
    public static async Task<TimeSpan> ImportRosterAsync(Uri grpcBase, BenchTokens tokens, BenchRoster roster, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(grpcBase);
        var started = Stopwatch.StartNew();
        var rosters = new RosterService.RosterServiceClient(channel);
        using var upload = rosters.UploadRoster(Options(tokens.SubdistrictAdmin(BenchRoster.SubdistrictId), cancellationToken));
        var csv = roster.ToCsv();
        for (var offset = 0; offset < csv.Length; offset += ChunkBytes)
        {
            await upload.RequestStream.WriteAsync(new RosterChunk
            {
                Options = offset == 0 ? new ImportOptions() : null,
                Data = ByteString.CopyFrom(csv, offset, Math.Min(ChunkBytes, csv.Length - offset)),
            }, cancellationToken);
        }

        await upload.RequestStream.CompleteAsync();
        var report = await upload.ResponseAsync;
        if (!report.Imported || report.Created + report.Unchanged + report.Updated != roster.Members.Count)
        {
            throw new InvalidOperationException($"The roster import did not enroll every member: {report.Summary} "
                + string.Join("; ", report.Problems.Take(5).Select(p => $"line {p.Line} {p.Column}: {p.Reason}")));
        }

        return started.Elapsed;
    }

    private static Grpc.Core.CallOptions Options(string token, CancellationToken cancellationToken) =>
        GrpcProgressApi.Options(token, cancellationToken).WithDeadline(DateTime.UtcNow.AddMinutes(10));
}

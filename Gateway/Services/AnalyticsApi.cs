using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using nietras.SeparatedValues;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Subdistricts;
using HttpBody = Google.Api.HttpBody;

namespace ProgressGrains.Gateway.Services;

/// <summary>Analysts' rollups: counted by the communities, summed here, as messages or as CSV.</summary>
internal sealed class AnalyticsApi(IGrainFactory grains) : AnalyticsService.AnalyticsServiceBase
{
    public static readonly ImmutableArray<string> Tables = ["scopes", "communities", "grids", "lessons", "topics", "channels", "age-bands", "daily"];

    private const int ChunkBytes = 64 * 1024;

    public override async Task<RollupReport> GetRollupReport(GetRollupReportRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var subdistrictId = validation.Id(request.SubdistrictId, "subdistrict_id");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();
        return await Report(subdistrictId, seasonId, context.CancellationToken);
    }

    public override async Task<HttpBody> GetRollupCsv(GetRollupCsvRequest request, ServerCallContext context)
    {
        var csv = await Csv(request, context.CancellationToken);
        var name = $"{request.SubdistrictId}-{Table(request)}.csv";
        context.GetHttpContext().Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        return new HttpBody { ContentType = "text/csv; charset=utf-8", Data = ByteString.CopyFrom(csv) };
    }

    public override async Task ExportRollupCsv(GetRollupCsvRequest request, IServerStreamWriter<CsvChunk> responseStream, ServerCallContext context)
    {
        var csv = await Csv(request, context.CancellationToken);
        for (var offset = 0; offset < csv.Length; offset += ChunkBytes)
        {
            await responseStream.WriteAsync(new CsvChunk { Data = ByteString.CopyFrom(csv, offset, Math.Min(ChunkBytes, csv.Length - offset)) }, context.CancellationToken);
        }
    }

    private async Task<byte[]> Csv(GetRollupCsvRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var subdistrictId = validation.Id(request.SubdistrictId, "subdistrict_id");
        var seasonId = validation.Season(request.SeasonId);
        var table = Table(request);
        if (!Tables.Contains(table))
        {
            validation.Add("table", $"table '{table}' is not one of {string.Join(", ", Tables)}.");
        }

        validation.ThrowIfInvalid();
        var report = await Report(subdistrictId, seasonId, cancellationToken);
        return RollupCsv.Write(report, table);
    }

    private static string Table(GetRollupCsvRequest request) => string.IsNullOrEmpty(request.Table) ? "scopes" : request.Table.ToLowerInvariant();

    private async Task<RollupReport> Report(string subdistrictId, string? seasonId, CancellationToken cancellationToken)
    {
        var snapshot = await grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).GetSeason(seasonId ?? "current", cancellationToken)
            ?? throw ProgressException.NotFound("season_id", seasonId is null ? "There is no current season." : $"Season '{seasonId}' does not exist.");
        var season = snapshot.Season;
        var communities = await grains.GetGrain<ISubdistrictGrain>(subdistrictId).GetAnalytics(season.SeasonId, cancellationToken);
        if (communities.IsEmpty)
        {
            throw ProgressException.NotFound("subdistrict_id", $"Subdistrict '{subdistrictId}' has no communities.");
        }

        var report = new RollupReport
        {
            SubdistrictId = subdistrictId,
            SeasonId = season.SeasonId,
            RequiredLessons = season.Lessons.Count(l => l.Required),
        };
        report.Scopes.Add(Scope("subdistrict", subdistrictId, null, communities.Aggregate(MemberCounts.Zero, (sum, c) => sum.Plus(c.Totals))));
        foreach (var community in communities.OrderBy(c => c.Community.CommunityId, StringComparer.Ordinal))
        {
            report.Scopes.Add(Scope("community", community.Community.CommunityId, community.Community, community.Totals));
        }

        foreach (var community in communities.OrderBy(c => c.Community.CommunityId, StringComparer.Ordinal))
        {
            foreach (var grid in community.Grids)
            {
                report.Scopes.Add(Scope("grid", grid.Key, community.Community, grid.Counts));
            }
        }

        var lessons = communities.SelectMany(c => c.Lessons).GroupBy(l => l.LessonId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(new LessonChannelCounts(g.Key, 0, 0, 0), (sum, l) => sum.Plus(l)), StringComparer.Ordinal);
        foreach (var lesson in season.Lessons)
        {
            var counts = lessons.GetValueOrDefault(lesson.LessonId) ?? new LessonChannelCounts(lesson.LessonId, 0, 0, 0);
            report.Lessons.Add(new LessonRollup
            {
                LessonId = lesson.LessonId, Title = lesson.Title, TopicId = lesson.TopicId, Required = lesson.Required,
                Completions = counts.Total, Online = counts.Online, InPerson = counts.InPerson, HomeDelivery = counts.HomeDelivery,
            });
        }

        foreach (var topic in season.Topics)
        {
            report.Topics.Add(new TopicRollup
            {
                TopicId = topic.TopicId, Title = topic.Title,
                Completions = report.Lessons.Where(l => l.TopicId == topic.TopicId).Sum(l => l.Completions),
            });
        }

        report.Channels.Add(new ChannelRollup { Channel = nameof(Channel.Online).ToChannelName(), Completions = report.Lessons.Sum(l => l.Online) });
        report.Channels.Add(new ChannelRollup { Channel = nameof(Channel.InPerson).ToChannelName(), Completions = report.Lessons.Sum(l => l.InPerson) });
        report.Channels.Add(new ChannelRollup { Channel = nameof(Channel.HomeDelivery).ToChannelName(), Completions = report.Lessons.Sum(l => l.HomeDelivery) });

        foreach (var band in AgeBands.All)
        {
            var counts = communities.SelectMany(c => c.AgeBands).Where(b => b.Key == band).Aggregate(MemberCounts.Zero, (sum, b) => sum.Plus(b.Counts));
            report.AgeBands.Add(new AgeBandRollup { Band = band, Counts = ToApi(counts) });
        }

        var cumulative = 0;
        foreach (var day in communities.SelectMany(c => c.Days).GroupBy(d => d.Day).OrderBy(g => g.Key))
        {
            var completed = day.Sum(d => d.MembersCompleted);
            cumulative += completed;
            report.Daily.Add(new DailyRollup
            {
                Date = day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                LessonCompletions = day.Sum(d => d.LessonCompletions),
                MembersCompleted = completed,
                CumulativeCompleted = cumulative,
            });
        }

        return report;
    }

    private static ScopeRollup Scope(string scope, string id, CommunityDefinition? community, MemberCounts counts) => new()
    {
        Scope = scope,
        ScopeId = id,
        CommunityId = community?.CommunityId ?? "",
        CommunityName = community?.Name ?? "",
        Counts = ToApi(counts),
    };

    private static MemberCountsRollup ToApi(MemberCounts counts) => new()
    {
        Enrolled = counts.Enrolled,
        Active7D = counts.Active,
        Completed = counts.Completed,
        CompletionRate = counts.CompletionRate,
        AverageProgress = counts.AverageProgress,
        Points = counts.Points,
        CheckIns = counts.CheckIns,
        AtRisk = counts.AtRisk,
        ReachedByOutreach = counts.Reached,
    };
}

internal static class ChannelNames
{
    /// <summary>Online → CHANNEL_ONLINE, as the API's enum is written in JSON.</summary>
    public static string ToChannelName(this string name) =>
        "CHANNEL_" + string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}

/// <summary>The report's tables as CSV: UTF-8 with a BOM (Excel then reads Chinese names right), quoted where needed.</summary>
internal static class RollupCsv
{
    public static byte[] Write(RollupReport report, string table)
    {
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text))
        {
            switch (table)
            {
                case "lessons":
                    foreach (var l in report.Lessons)
                    {
                        Row(csv, ("season_id", report.SeasonId), ("lesson_id", l.LessonId), ("title", l.Title), ("topic_id", l.TopicId), ("required", l.Required ? "true" : "false"),
                            ("completions", Int(l.Completions)), ("online", Int(l.Online)), ("in_person", Int(l.InPerson)), ("home_delivery", Int(l.HomeDelivery)));
                    }

                    break;
                case "topics":
                    foreach (var t in report.Topics)
                    {
                        Row(csv, ("season_id", report.SeasonId), ("topic_id", t.TopicId), ("title", t.Title), ("completions", Int(t.Completions)));
                    }

                    break;
                case "channels":
                    foreach (var c in report.Channels)
                    {
                        Row(csv, ("season_id", report.SeasonId), ("channel", c.Channel), ("completions", Int(c.Completions)));
                    }

                    break;
                case "age-bands":
                    foreach (var b in report.AgeBands)
                    {
                        Row(csv, [("season_id", report.SeasonId), ("age_band", b.Band), .. Counts(b.Counts)]);
                    }

                    break;
                case "daily":
                    foreach (var d in report.Daily)
                    {
                        Row(csv, ("season_id", report.SeasonId), ("date", d.Date), ("lesson_completions", Int(d.LessonCompletions)),
                            ("members_completed", Int(d.MembersCompleted)), ("cumulative_completed", Int(d.CumulativeCompleted)));
                    }

                    break;
                default:
                    // scopes: all of them; communities or grids: those rows only.
                    var only = table switch { "communities" => "community", "grids" => "grid", _ => null };
                    foreach (var s in report.Scopes.Where(s => only is null || s.Scope == only))
                    {
                        Row(csv, [("season_id", report.SeasonId), ("scope", s.Scope), ("scope_id", s.ScopeId), ("community_id", s.CommunityId),
                            ("community_name", s.CommunityName), .. Counts(s.Counts)]);
                    }

                    break;
            }
        }

        return buffer.ToArray();
    }

    private static (string, string)[] Counts(MemberCountsRollup c) =>
    [
        ("enrolled", Int(c.Enrolled)), ("active_7d", Int(c.Active7D)), ("completed", Int(c.Completed)),
        ("completion_rate", c.CompletionRate.ToString("0.####", CultureInfo.InvariantCulture)),
        ("average_progress", c.AverageProgress.ToString("0.####", CultureInfo.InvariantCulture)),
        ("points", c.Points.ToString(CultureInfo.InvariantCulture)), ("check_ins", c.CheckIns.ToString(CultureInfo.InvariantCulture)),
        ("at_risk", Int(c.AtRisk)), ("reached_by_outreach", Int(c.ReachedByOutreach)),
    ];

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(SepWriter csv, params (string Column, string Value)[] cells)
    {
        using var row = csv.NewRow();
        foreach (var (column, value) in cells)
        {
            row[column].Set(value);
        }
    }
}

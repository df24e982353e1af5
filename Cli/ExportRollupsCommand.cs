using System.ComponentModel;
using ProgressGrains.Api.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProgressGrains.Cli;

internal sealed class ExportRollupsSettings : GatewaySettings
{
    [CommandOption("--subdistrict <ID>")]
    [Description("The subdistrict.")]
    public string Subdistrict { get; init; } = "";

    [CommandOption("--out <FILE>")]
    [Description("Where to write the CSV.")]
    public string Out { get; init; } = "";

    [CommandOption("--table <TABLE>")]
    [Description("scopes (default: subdistrict, communities, grids), communities, grids, lessons, topics, channels, age-bands or daily.")]
    public string Table { get; init; } = "scopes";

    [CommandOption("--season <ID>")]
    [Description("The season (default: the current one).")]
    public string Season { get; init; } = "";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Subdistrict))
        {
            return ValidationResult.Error("--subdistrict is required.");
        }

        return string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required.") : base.Validate();
    }
}

/// <summary><c>export rollups --subdistrict ID --out FILE</c>: streams the CSV into FILE (written whole or not at all).</summary>
internal sealed class ExportRollupsCommand : AsyncCommand<ExportRollupsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ExportRollupsSettings settings, CancellationToken cancellationToken)
    {
        using var channel = settings.Channel();
        var client = new AnalyticsService.AnalyticsServiceClient(channel);
        var target = Path.GetFullPath(settings.Out);
        var partial = target + ".partial";
        long bytes = 0;
        try
        {
            await Download(client, settings, partial, b => bytes = b, cancellationToken);
        }
        catch
        {
            // Nothing half-written is left behind.
            File.Delete(partial);
            throw;
        }

        File.Move(partial, target, overwrite: true);
        var rows = File.ReadLines(target).Count() - 1;
        Console.WriteLine($"Wrote {settings.Table} of {settings.Subdistrict}: {bytes:N0} bytes to {target} ({rows} line(s) after the header; UTF-8 with BOM).");
        return 0;
    }

    private static Task Download(AnalyticsService.AnalyticsServiceClient client, ExportRollupsSettings settings, string partial, Action<long> written, CancellationToken cancellationToken) =>
        AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var download = progress.AddTask($"Exporting {settings.Table} of {settings.Subdistrict}");
            download.IsIndeterminate = true;
            using var call = client.ExportRollupCsv(new GetRollupCsvRequest { SubdistrictId = settings.Subdistrict, Table = settings.Table, SeasonId = settings.Season },
                settings.Call(cancellationToken));
            await using (var file = File.Create(partial))
            {
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    call.ResponseStream.Current.Data.WriteTo(file);
                    written(file.Length);
                    download.Description = $"Exporting {settings.Table} of {settings.Subdistrict}: {file.Length:N0} bytes";
                }
            }

            download.IsIndeterminate = false;
            download.Value = download.MaxValue;
        });
}

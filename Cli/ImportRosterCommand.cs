using System.ComponentModel;
using Google.Protobuf;
using ProgressGrains.Api.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProgressGrains.Cli;

internal sealed class ImportRosterSettings : GatewaySettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The roster CSV: member_id,name,community_id,grid,birth_year[,flags][,openid] (or 党员编号,姓名,社区,网格,出生年份,标记).")]
    public string File { get; init; } = "";

    [CommandOption("--import-valid-rows")]
    [Description("Import the good rows even when some rows are bad.")]
    public bool ImportValidRows { get; init; }

    [CommandOption("--dry-run")]
    [Description("Only check the file; change nothing.")]
    public bool DryRun { get; init; }

    public override ValidationResult Validate() =>
        System.IO.File.Exists(File) ? base.Validate() : ValidationResult.Error($"The file '{File}' does not exist.");
}

/// <summary><c>import roster FILE</c>: uploads the file in chunks, then prints the report. Exit 1 when rows were bad and nothing was imported.</summary>
internal sealed class ImportRosterCommand : AsyncCommand<ImportRosterSettings>
{
    private const int ChunkBytes = 64 * 1024;

    public override async Task<int> ExecuteAsync(CommandContext context, ImportRosterSettings settings, CancellationToken cancellationToken)
    {
        using var channel = settings.Channel();
        var client = new RosterService.RosterServiceClient(channel);
        var bytes = await File.ReadAllBytesAsync(settings.File, cancellationToken);
        ImportRosterReport? report = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var upload = progress.AddTask($"Uploading {Path.GetFileName(settings.File)}", maxValue: Math.Max(1, bytes.Length));
            using var call = client.UploadRoster(settings.Call(cancellationToken));
            var options = new ImportOptions { ImportValidRows = settings.ImportValidRows, DryRun = settings.DryRun };
            for (var offset = 0; offset < bytes.Length || offset == 0; offset += ChunkBytes)
            {
                var length = Math.Min(ChunkBytes, bytes.Length - offset);
                await call.RequestStream.WriteAsync(new RosterChunk { Options = offset == 0 ? options : null, Data = ByteString.CopyFrom(bytes, offset, length) }, cancellationToken);
                upload.Increment(length);
                if (bytes.Length == 0)
                {
                    break;
                }
            }

            await call.RequestStream.CompleteAsync();
            var check = progress.AddTask("Checking and importing", maxValue: 1);
            check.IsIndeterminate = true;
            report = await call.ResponseAsync;
            check.IsIndeterminate = false;
            check.Increment(1);
        });

        foreach (var problem in report!.Problems)
        {
            Console.WriteLine($"line {problem.Line}{(problem.Column.Length > 0 ? $", {problem.Column}" : "")}: {problem.Reason}");
        }

        if (report.IgnoredColumns.Count > 0)
        {
            Console.WriteLine($"ignored columns: {string.Join(", ", report.IgnoredColumns)}");
        }

        var table = new Table().AddColumns("rows", "valid", "problems", "new", "updated", "moved", "unchanged", "imported");
        table.AddRow($"{report.Rows}", $"{report.ValidRows}", $"{report.Problems.Count}", $"{report.Created}", $"{report.Updated}", $"{report.Moved}", $"{report.Unchanged}", report.Imported ? "yes" : "no");
        AnsiConsole.Write(table);
        Console.WriteLine(report.Summary);
        return report.Problems.Count > 0 && !report.Imported ? 1 : 0;
    }
}

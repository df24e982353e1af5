using ProgressGrains.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("progress");
    config.AddBranch("import", import =>
    {
        import.SetDescription("Import data into the engine.");
        import.AddCommand<ImportRosterCommand>("roster").WithDescription("Import a roster CSV (checked whole first; see --import-valid-rows, --dry-run).");
    });
    config.AddBranch("export", export =>
    {
        export.SetDescription("Export data from the engine.");
        export.AddCommand<ExportRollupsCommand>("rollups").WithDescription("Write a subdistrict's rollups as CSV (UTF-8 with BOM).");
    });
    config.AddBranch("season", season =>
    {
        season.SetDescription("Seasons.");
        season.AddCommand<LoadSeasonCommand>("load").WithDescription("Load a season file (the API's Season message in JSON).");
    });
    config.AddCommand<SimulateCommand>("simulate").WithDescription("Drive realistic member traffic through the gateway (demo members sign in with WeChat's development login).");
    config.SetExceptionHandler((exception, _) =>
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {Failure.Describe(exception)}");
        return Failure.ExitCode(exception);
    });
});
return await app.RunAsync(args);

using System.Data.Common;
using ProgressGrains.Gateway;
using ProgressGrains.Silo.Demo;
using ProgressGrains.Silo.Storage;

namespace ProgressGrains.Silo;

/// <summary>
/// The command line: <c>[migrate] [--demo] [--Key=value ...]</c>. With no arguments the silo runs
/// the embedded default: localhost clustering, SQLite under <c>Storage:DataDirectory</c>, and the
/// gateway co-hosted on 127.0.0.1:5080 (JSON) and :5081 (gRPC).
/// </summary>
public static class SiloProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var migrateOnly = args.Length > 0 && args[0] == "migrate";
        var demo = args.Contains("--demo");
        var configurationArgs = args.Skip(migrateOnly ? 1 : 0).Where(a => a != "--demo").ToArray();

        // Content (appsettings.json) comes from beside the program, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddGatewayEndpointDefaults();
        StorageSettings storage;
        try
        {
            storage = StorageSettings.From(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        MigrationReport report;
        try
        {
            report = await SchemaMigrator.MigrateAsync(storage);
        }
        catch (DbException ex)
        {
            await Console.Error.WriteLineAsync($"Could not prepare the schema in {storage.Describe()}: {ex.Message}");
            return 3;
        }

        if (migrateOnly)
        {
            Console.WriteLine($"Schema of {storage.Describe()} is at version {report.SchemaVersion}: "
                + $"{report.AppliedScripts.Count} script(s) applied now ({string.Join(", ", report.AppliedScripts)}), "
                + $"{report.QueriesChanged} provider statement(s) updated.");
            return 0;
        }

        builder.AddProgressSilo(storage);
        builder.Services.AddProgressGateway(builder.Configuration);
        if (demo)
        {
            builder.Services.AddHostedService<DemoLoader>();
        }

        var app = builder.Build();
        app.MapProgressGateway();
        await app.RunAsync();
        return 0;
    }
}

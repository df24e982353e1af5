using System.Data.Common;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using ProgressGrains.Gateway;
using ProgressGrains.Gateway.Security;
using ProgressGrains.Gateway.Telemetry;
using ProgressGrains.Silo.Demo;
using ProgressGrains.Silo.Storage;

namespace ProgressGrains.Silo;

/// <summary>
/// The command line: <c>[migrate | token OPTIONS] [--demo] [--Key=value ...]</c>. With no arguments the silo runs
/// the embedded default: localhost clustering, SQLite under <c>Storage:DataDirectory</c>, and the
/// gateway co-hosted on 127.0.0.1:5080 (JSON) and :5081 (gRPC).
/// </summary>
public static class SiloProgram
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, configure: null, CancellationToken.None);

    /// <summary>
    /// Runs the program until <paramref name="cancellationToken"/> is cancelled (or the process is
    /// told to stop). <paramref name="configure"/> may add to the host before it is built (tests use
    /// it to collect telemetry in memory).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        var migrateOnly = args.Length > 0 && args[0] == "migrate";
        var token = args.Length > 0 && args[0] == "token";
        var demo = args.Contains("--demo");
        var configurationArgs = args.Skip(migrateOnly ? 1 : 0).Where(a => a != "--demo").ToArray();
        TokenRequest? tokenRequest = null;
        if (token)
        {
            (tokenRequest, var error, configurationArgs) = TokenCommand.Parse(args[1..]);
            if (tokenRequest is null)
            {
                await Console.Error.WriteLineAsync(error);
                await Console.Error.WriteLineAsync(TokenCommand.Usage);
                return 2;
            }
        }

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

        if (!storage.IsPostgreSql)
        {
            // The embedded default is a development server: its own key in the data directory, and
            // WeChat sign-in without WeChat (the code is the openid). Any configuration overrides these.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?>
                {
                    ["Auth:DevelopmentKeyFile"] = Path.Combine(storage.DataDirectory!, "dev-signing-key"),
                    ["Auth:WeChat:Mode"] = nameof(WeChatLoginMode.Development),
                },
            });
        }

        if (tokenRequest is not null)
        {
            return PrintToken(builder.Configuration, tokenRequest);
        }

        MigrationReport report;
        try
        {
            report = await SchemaMigrator.MigrateAsync(storage, cancellationToken);
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

        builder.AddProgressTelemetry("progress-silo");
        builder.AddProgressSilo(storage);
        builder.Services.AddProgressGateway(builder.Configuration);
        if (demo)
        {
            builder.Services.AddHostedService<DemoLoader>();
        }

        configure?.Invoke(builder);
        await using var app = builder.Build();
        try
        {
            app.MapProgressGateway();
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            // Configuration a person must fix: say so, without a stack trace.
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, ex.Failures));
            return 2;
        }
        catch (InvalidOperationException ex) when (ex.Source?.StartsWith("ProgressGrains", StringComparison.Ordinal) == true)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        return 0;
    }

    private static int PrintToken(IConfiguration configuration, TokenRequest request)
    {
        var options = new AuthOptions();
        configuration.GetSection(AuthOptions.Section).Bind(options);
        SigningKeyRing keys;
        try
        {
            keys = SigningKeyRing.From(options);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var issued = new TokenIssuer(keys, Options.Create(options), TimeProvider.System).Issue(request);
        Console.Error.WriteLine($"Token for {issued.Subject} ({string.Join(", ", request.Roles)}), valid until {issued.ExpiresAt:u}, signed with the {keys.Source}:");
        Console.WriteLine(issued.Token);
        return 0;
    }
}

using Microsoft.Extensions.Options;
using ProgressGrains.Gateway;
using ProgressGrains.Gateway.Telemetry;

// The gateway on its own, as an Orleans client of a running cluster.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddGatewayEndpointDefaults();
builder.AddProgressTelemetry("progress-gateway");
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleansClient(cluster.ConfigureClient);
builder.Services.AddProgressGateway(builder.Configuration);

var app = builder.Build();
try
{
    app.MapProgressGateway();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException || (ex is InvalidOperationException && ex.Source?.StartsWith("ProgressGrains", StringComparison.Ordinal) == true))
{
    // Configuration a person must fix (e.g. no signing key): say so, without a stack trace.
    await Console.Error.WriteLineAsync(ex is OptionsValidationException invalid ? string.Join(Environment.NewLine, invalid.Failures) : ex.Message);
    return 2;
}

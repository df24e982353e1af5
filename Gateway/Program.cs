using ProgressGrains.Gateway;

// The gateway on its own, as an Orleans client of a running cluster.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddGatewayEndpointDefaults();
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleansClient(cluster.ConfigureClient);
builder.Services.AddProgressGateway(builder.Configuration);

var app = builder.Build();
app.MapProgressGateway();
app.Run();

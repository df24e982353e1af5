using ProgressGrains.Gateway;

// The gateway on its own, as an Orleans client of a running cluster.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddGatewayEndpointDefaults();
builder.UseOrleansClient(client =>
    client.UseLocalhostClustering(builder.Configuration.GetValue("Orleans:Endpoints:GatewayPort", 30000)));
builder.Services.AddProgressGateway();

var app = builder.Build();
app.MapProgressGateway();
app.Run();

using ProgressGrains.Gateway;

// The gateway on its own, as an Orleans client of a running cluster (localhost clustering for now).
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddGatewayEndpointDefaults();
var cluster = ClusterSettings.From(builder.Configuration);
builder.UseOrleansClient(client =>
    client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId));
builder.Services.AddProgressGateway();

var app = builder.Build();
app.MapProgressGateway();
app.Run();

using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using ProgressGrains.Gateway.Security;
using ProgressGrains.Gateway.Telemetry;
using ProgressGrains.Gateway.Services;

namespace ProgressGrains.Gateway;

/// <summary>The gateway's wiring, shared by the silo (co-hosted) and the stand-alone gateway.</summary>
public static class GatewayExtensions
{
    /// <summary>Loopback HTTP/1.1 for JSON, health and the portal.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:5080";

    /// <summary>Loopback cleartext HTTP/2 for gRPC: it needs an endpoint of its own.</summary>
    public const string DefaultGrpcUrl = "http://127.0.0.1:5081";

    /// <summary>
    /// Adds the default endpoints beneath every other configuration source, so
    /// <c>Kestrel:Endpoints:Http:Url</c> and <c>Kestrel:Endpoints:Grpc:Url</c> from the command line,
    /// environment or appsettings override them.
    /// </summary>
    public static void AddGatewayEndpointDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Http:Url"] = DefaultHttpUrl,
                ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
                ["Kestrel:Endpoints:Grpc:Url"] = DefaultGrpcUrl,
                ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
                // No request the API takes comes near this; the default (30 MB) invites abuse.
                ["Kestrel:Limits:MaxRequestBodySize"] = "1048576",
            },
        });
    }

    public static IServiceCollection AddProgressGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<MemberGrains>();
        services.AddSingleton<RateLimitInterceptor>();
        services.AddSingleton<MemberRateLimitInterceptor>();
        services.AddProgressAuth(configuration);
        services.AddSingleton<Roster.RosterImporter>();
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorInterceptor>();
            // Per-client limits first (they also bound token guessing), then who may do what.
            options.Interceptors.Add<RateLimitInterceptor>();
            options.Interceptors.Add<AuthorizationInterceptor>();
            options.Interceptors.Add<MemberRateLimitInterceptor>();
            options.EnableDetailedErrors = false;
            options.MaxReceiveMessageSize = 1024 * 1024;
        }).AddJsonTranscoding(options =>
            // Error details travel as google.protobuf.Any; JSON needs to know their types to write them.
            options.TypeRegistry = TypeRegistry.FromMessages(BadRequest.Descriptor));
        services.AddGrpcReflection();

        // Storage failures cross silo and client boundaries inside Orleans exceptions (e.g. a grain
        // whose state could not be read); let the driver's exceptions travel, so the gateway can
        // tell a storage outage (Unavailable) from a bug.
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(options =>
        {
            options.SupportedNamespacePrefixes.Add("Npgsql");
            options.SupportedNamespacePrefixes.Add("Microsoft.Data.Sqlite");
        });
        // grpc.health.v1 answers from the readiness checks, like /health.
        services.AddGrpcHealthChecks(options => options.Services.Map("", check => check.Tags.Contains(TelemetryExtensions.ReadyTag)))
            .AddCheck<ClusterHealthCheck>("cluster", tags: [TelemetryExtensions.ReadyTag]);
        return services;
    }

    public static WebApplication MapProgressGateway(this WebApplication app)
    {
        // Fail at start, not at the first request, when no signing key is configured.
        var keys = app.Services.GetRequiredService<SigningKeyRing>();
        app.Logger.LogInformation("Tokens are validated against {KeySource}", keys.Source);
        app.MapPortal();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<AuthApi>();
        app.MapGrpcService<SeasonApi>();
        app.MapGrpcService<MemberApi>();
        app.MapGrpcService<CommunityApi>();
        app.MapGrpcService<SubdistrictApi>();
        app.MapGrpcService<VolunteerApi>();
        app.MapGrpcService<RosterApi>();
        app.MapGrpcService<AnalyticsApi>();
        app.MapGrpcReflectionService().RequireAuthorization(AuthExtensions.OperatorPolicy);
        app.MapGrpcHealthChecksService();
        // Probes need no token: /health is ready (storage and cluster reachable), /alive is the process answering.
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(TelemetryExtensions.ReadyTag) });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(AuthExtensions.OperatorPolicy);
        app.MapOrleansDashboard(routePrefix: TelemetryExtensions.DashboardPath).RequireAuthorization(AuthExtensions.OperatorPolicy);
        return app;
    }
}

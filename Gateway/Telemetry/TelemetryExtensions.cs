using Microsoft.AspNetCore.Authentication.JwtBearer;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ProgressGrains.Gateway.Telemetry;

/// <summary>
/// The operators' view, the same for the silo and the stand-alone gateway: OpenTelemetry traces,
/// metrics and logs; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; a Prometheus scrape
/// at <c>/metrics</c>; readiness at <c>/health</c> and liveness at <c>/alive</c>.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Orleans' activity sources: grain calls (runtime and application) and storage.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The engine's own meter (ProgressGrains.Grains.Telemetry.ProgressMetrics).</summary>
    public const string DomainMeter = "ProgressGrains";

    /// <summary>Readiness checks carry this tag; <c>/health</c> and grpc.health.v1 run them.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The cookie that carries an operator's token on the dashboard's own requests.</summary>
    public const string DashboardCookie = "progress_dashboard";

    public const string DashboardPath = "/dashboard";

    /// <summary>
    /// Metrics always (scraped at <c>/metrics</c>, and pushed by OTLP when configured); traces when
    /// OTLP is configured or <c>Telemetry:Tracing=true</c> (spans cost time on every call, so they
    /// are not made for no one); logs through OpenTelemetry, to the console as before and to OTLP.
    /// </summary>
    public static WebApplicationBuilder AddProgressTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = otlp || builder.Configuration.GetValue("Telemetry:Tracing", false);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName,
                serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, DomainMeter)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (tracing)
        {
            telemetry.WithTracing(traces => traces
                .AddSource(OrleansSources)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsOperational(http.Request.Path))
                .AddNpgsql());
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Probes, scrapes and the dashboard's polling: not worth a span each.</summary>
    public static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments(DashboardPath);

    /// <summary>
    /// A browser cannot send a bearer header when it opens the dashboard, so the dashboard also takes
    /// the token once as <c>?access_token=</c> and then from an HttpOnly cookie limited to its path.
    /// </summary>
    public static void AcceptDashboardTokens(JwtBearerEvents events)
    {
        events.OnMessageReceived = context =>
        {
            if (context.Request.Path.StartsWithSegments(DashboardPath) && string.IsNullOrEmpty(context.Request.Headers.Authorization))
            {
                context.Token = context.Request.Query.TryGetValue("access_token", out var fromQuery) && fromQuery.Count > 0
                    ? fromQuery.ToString()
                    : context.Request.Cookies[DashboardCookie];
            }

            return Task.CompletedTask;
        };
        events.OnTokenValidated = context =>
        {
            // Only an operator's token is kept: the dashboard is theirs alone.
            if (context.Request.Path.StartsWithSegments(DashboardPath) && context.Request.Query.ContainsKey("access_token")
                && context.Principal?.IsInRole(Security.Roles.Operator) == true)
            {
                context.Response.Cookies.Append(DashboardCookie, context.Request.Query["access_token"].ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = DashboardPath,
                    Expires = context.SecurityToken.ValidTo,
                });
            }

            return Task.CompletedTask;
        };
    }
}

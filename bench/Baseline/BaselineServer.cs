using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Baseline;

/// <summary>
/// <c>baseline-server</c>: the plain alternative a team would otherwise build — ASP.NET Core with
/// Npgsql, the same tokens, the same routes over gRPC (HTTP/2 endpoint) and JSON (transcoded, on an
/// HTTP/1.1 endpoint), one database transaction per event. Configuration: <c>ConnectionStrings:Baseline</c>,
/// <c>Auth:SigningKey</c> (base64), <c>Baseline:MaxPoolSize</c>, <c>Kestrel:Endpoints:*</c>.
/// </summary>
public static class BaselineServer
{
    /// <summary>
    /// A team would not open hundreds of connections to a 2-core PostgreSQL. 16, 32 and 64 were
    /// within the noise of each other in short runs on the shared 2-core machine; 32 keeps every
    /// transaction of 64 callers at most one queue position from a connection (--baseline-pool tries others).
    /// </summary>
    public const int DefaultMaxPoolSize = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var connectionString = builder.Configuration.GetConnectionString("Baseline");
        var signingKey = builder.Configuration["Auth:SigningKey"];
        if (string.IsNullOrEmpty(connectionString) || string.IsNullOrEmpty(signingKey))
        {
            await Console.Error.WriteLineAsync("baseline-server needs --ConnectionStrings:Baseline=... and --Auth:SigningKey=BASE64");
            return 2;
        }

        var pool = builder.Configuration.GetValue("Baseline:MaxPoolSize", DefaultMaxPoolSize);
        // Statements prepared once per connection, as the engine's storage does, so the comparison is of designs, not of driver settings.
        var dataSource = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = pool, MinPoolSize = Math.Min(pool, 8), MaxAutoPrepare = 16 }.ConnectionString).Build();
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton<BaselineStore>();
        builder.Services.AddGrpc(o => o.Interceptors.Add<BaselineErrorInterceptor>()).AddJsonTranscoding();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = builder.Configuration["Auth:Issuer"] ?? BenchTokens.Issuer,
                ValidAudience = builder.Configuration["Auth:Audience"] ?? BenchTokens.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(signingKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RoleClaimType = "role",
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromMinutes(1),
            };
        });

        await using var app = builder.Build();
        await BaselineSchema.CreateAsync(dataSource, CancellationToken.None);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<BaselineMemberApi>();
        app.MapGrpcService<BaselineCommunityApi>();
        app.MapGet("/health", () => Results.Text("Healthy", "text/plain", Encoding.UTF8));
        await app.RunAsync();
        await dataSource.DisposeAsync();
        return 0;
    }
}

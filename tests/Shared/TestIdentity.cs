using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ProgressGrains.Tests.Shared;

/// <summary>
/// Tokens for tests, minted here with the JWT library directly (not with the server's issuer), so
/// the tests also pin the token format: HS256, issuer, audience, and the claims role, member_id,
/// community_id, subdistrict_id, volunteer_id.
/// </summary>
public static class TestTokens
{
    /// <summary>The key every test server is started with (<c>--Auth:SigningKeys:0</c>); for tests only.</summary>
    public const string SigningKey = "28y0XukQPi1GXutJSExJAGO2puXYJKyhDMGYbiZVOGM=";

    public const string Issuer = "progressgrains";
    public const string Audience = "progressgrains-api";

    /// <summary>The demo's subdistrict: the everyday test caller administers it.</summary>
    public const string DemoSubdistrict = "xietang";

    public static string SigningKeyArgument => $"--Auth:SigningKeys:0={SigningKey}";

    private static readonly JsonWebTokenHandler Handler = new();

    public static string Mint(
        IEnumerable<(string Type, string Value)> claims,
        TimeSpan? lifetime = null,
        DateTimeOffset? issuedAt = null,
        string key = SigningKey,
        string issuer = Issuer,
        string audience = Audience)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value))),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A token with one role and the scopes given.</summary>
    public static string For(string role, string? member = null, string? community = null, string? subdistrict = null, string? volunteer = null) =>
        Mint(Claims([role], member, community, subdistrict, volunteer).Append(("sub", member ?? volunteer ?? $"{community ?? subdistrict ?? "test"}-{role}")));

    /// <summary>
    /// The everyday test caller, for tests about something other than access: subdistrict admin of
    /// the demo, and also the member, community admin and volunteer the request is about.
    /// </summary>
    public static string Acting(string? member, string? community, string? volunteer, string? actor = null)
    {
        var roles = new List<string> { "subdistrict_admin" };
        if (member is not null)
        {
            roles.Add("member");
        }

        if (community is not null)
        {
            roles.Add("community_admin");
        }

        if (volunteer is not null)
        {
            roles.Add("volunteer");
            community ??= "test";
        }

        // The subject is whoever the request says acted (delivered_by, assigned_by, moderator_id, actor_id).
        return Mint(Claims(roles, member, community, DemoSubdistrict, volunteer).Append(("sub", actor ?? volunteer ?? "test-caller")));
    }

    private static IEnumerable<(string, string)> Claims(IEnumerable<string> roles, string? member, string? community, string? subdistrict, string? volunteer)
    {
        foreach (var role in roles)
        {
            yield return ("role", role);
        }

        foreach (var (type, value) in new[] { ("member_id", member), ("community_id", community), ("subdistrict_id", subdistrict), ("volunteer_id", volunteer) })
        {
            if (value is not null)
            {
                yield return (type, value);
            }
        }
    }
}

/// <summary>Sends <see cref="TestTokens.Acting"/> on JSON requests that carry no Authorization header.</summary>
public sealed class TestIdentityHandler() : DelegatingHandler(new HttpClientHandler())
{
    public static HttpClient Client(Uri baseAddress) =>
        new(new TestIdentityHandler()) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && request.RequestUri is { } uri)
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            string? After(string collection) => Array.IndexOf(segments, collection) is var i and >= 0 && i + 1 < segments.Length ? segments[i + 1] : null;
            var volunteer = segments is ["v1", "volunteers", ..] ? After("volunteers") : null;
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var deliveredBy = Property(body, "deliveredBy", "delivered_by");
            var actor = deliveredBy ?? Property(body, "assignedBy", "assigned_by") ?? Property(body, "moderatorId", "moderator_id") ?? Property(body, "actorId", "actor_id");
            var member = segments is ["v1", "members", ..] ? After("members") : After("outreach");
            var community = segments is ["v1", "communities", ..] ? After("communities") : null;
            request.Headers.Authorization = new("Bearer", TestTokens.Acting(Valid(member), Valid(community), Valid(volunteer ?? deliveredBy), Valid(actor)));
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static string? Property(string? body, string name, string protoName)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && (json.RootElement.TryGetProperty(name, out var value) || json.RootElement.TryGetProperty(protoName, out value))
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Valid(string? id) => id is { Length: > 0 and <= 64 } ? id : null;
}

/// <summary>Sends <see cref="TestTokens.Acting"/> on gRPC calls that carry no authorization metadata.</summary>
public sealed class TestIdentityInterceptor : Interceptor
{
    public static CallInvoker Wrap(ChannelBase channel) => channel.Intercept(new TestIdentityInterceptor());

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(request, context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(request, context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithToken(request, context));

    private static ClientInterceptorContext<TRequest, TResponse> WithToken<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var headers = context.Options.Headers ?? [];
        if (headers.Get("authorization") is not null)
        {
            return context;
        }

        string? Read(string property) =>
            typeof(TRequest).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(request) as string is { Length: > 0 and <= 64 } value ? value : null;
        var community = Read("CommunityId") ?? (context.Method.ServiceName.EndsWith("CommunityService", StringComparison.Ordinal) ? Read("ScopeId") : null);
        var volunteer = Read("VolunteerId") ?? Read("DeliveredBy");
        var actor = Read("DeliveredBy") ?? Read("AssignedBy") ?? Read("ModeratorId") ?? Read("ActorId");
        var withToken = new Metadata();
        foreach (var entry in headers)
        {
            withToken.Add(entry);
        }

        withToken.Add("authorization", $"Bearer {TestTokens.Acting(Read("MemberId"), community, volunteer, actor)}");
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(withToken));
    }
}

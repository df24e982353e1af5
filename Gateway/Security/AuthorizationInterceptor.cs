using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ProgressGrains.Gateway.Security;

/// <summary>
/// Every call needs a valid token (except signing in) and the <see cref="AccessPolicy"/>'s consent
/// for the resource it names, for gRPC and JSON alike. Refusals are UNAUTHENTICATED (HTTP 401) or
/// PERMISSION_DENIED (403), before anything is read or changed.
/// </summary>
internal sealed class AuthorizationInterceptor(AccessPolicy policy) : Interceptor
{
    public const string SignInMethod = "/progress.v1.AuthService/SignInWithWeChat";

    /// <summary>The API this guards; grpc.health.v1 stays open for probes, reflection has an endpoint policy.</summary>
    public const string ApiPrefix = "/progress.v1.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request as IMessage);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request as IMessage);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, null);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, null);
        await continuation(requestStream, responseStream, context);
    }

    private async Task AuthorizeAsync(ServerCallContext context, IMessage? request)
    {
        if (context.Method == SignInMethod || !context.Method.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var http = context.GetHttpContext();
        var caller = Caller.From(http.User);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            throw new RpcException(new Status(StatusCode.Unauthenticated, await WhyUnauthenticated(http)));
        }

        if (await policy.DenialAsync(context.Method, request, caller) is { } denial)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, denial));
        }

        http.Features.Set(caller);
    }

    private static async Task<string> WhyUnauthenticated(HttpContext http)
    {
        const string HowToSignIn = "sign in (POST /v1/auth/wechat), or on a development server get a token with `dotnet run --project Silo -- token --role ROLE ...`.";
        if (string.IsNullOrEmpty(http.Request.Headers.Authorization))
        {
            return $"This call needs a token: send the header 'Authorization: Bearer <token>'; to get one, {HowToSignIn}";
        }

        // The handler keeps its result for the request: this does not validate the token again.
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Succeeded)
        {
            return "The token names no valid subject ('sub': an id of letters, digits, '-', '_' and '.'); tokens from this deployment always do.";
        }

        return result.Failure switch
        {
            SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:u}; {HowToSignIn}",
            SecurityTokenNotYetValidException => "The token is not valid yet; check the clocks of the issuer and this server.",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
                $"The token was not signed with this deployment's key (a token from another server, or the key changed); {HowToSignIn}",
            SecurityTokenInvalidIssuerException or SecurityTokenInvalidAudienceException =>
                "The token was issued for another service (its issuer or audience is not this deployment's).",
            SecurityTokenMalformedException or ArgumentException => "The token is not a well-formed JWT; send 'Authorization: Bearer <token>'.",
            { } => $"The token was refused; {HowToSignIn}",
            null => "The Authorization header must be 'Bearer <token>'.",
        };
    }
}

/// <summary>The caller of the current call, once authorized.</summary>
internal static class CallerContext
{
    public static Caller Caller(this ServerCallContext context) =>
        context.GetHttpContext().Features.Get<Caller>() ?? throw new InvalidOperationException("The call was not authorized.");
}

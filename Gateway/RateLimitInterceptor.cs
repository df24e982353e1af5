using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Gateway;

/// <summary>
/// Token buckets per client address and per member, for gRPC and JSON alike (transcoded calls run
/// through the same interceptors). Over the limit: RESOURCE_EXHAUSTED (HTTP 429), nothing done.
/// The client limit applies before authentication (it also bounds token guessing); the member limit
/// after authorization (<see cref="MemberRateLimitInterceptor"/>), so that no one who may not act
/// for a member can use up that member's budget.
/// </summary>
internal sealed class RateLimitInterceptor : Interceptor, IDisposable
{
    private readonly TokenBuckets _clients;
    private readonly TokenBuckets _members;

    public RateLimitInterceptor(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        _clients = new TokenBuckets(Math.Max(1, limits.PerClientPerSecond), Math.Max(1, limits.PerClientBurst), time);
        _members = new TokenBuckets(Math.Max(1, limits.PerMemberPerSecond), Math.Max(1, limits.PerMemberBurst), time);
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var client = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        if (!_clients.TryTake(client))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Too many requests from this client; slow down and retry in a second."));
        }

        return await continuation(request, context);
    }

    /// <summary>Takes a token from the member's bucket, or refuses the call.</summary>
    public void AcquireForMember(string memberId)
    {
        if (!_members.TryTake(memberId))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Too many requests about member '{memberId}'; retry in a second (with the same event_id for a write)."));
        }
    }

    public void Dispose()
    {
        _clients.Dispose();
        _members.Dispose();
    }
}

/// <summary>The per-member limit of <see cref="RateLimitInterceptor"/>, applied once the call is authorized.</summary>
internal sealed class MemberRateLimitInterceptor(RateLimitInterceptor limits) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMemberRequest { MemberId.Length: > 0 } scoped)
        {
            limits.AcquireForMember(scoped.MemberId);
        }

        return continuation(request, context);
    }
}

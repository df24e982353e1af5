using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// The mini-program's calls over gRPC: one channel for all simulated clients (HTTP/2 multiplexes
/// them; more connections open when one has too many streams). No retry policy on the channel:
/// the load generator retries itself, so it can count every failed attempt.
/// </summary>
public sealed class GrpcProgressApi : IProgressApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel _channel;
    private readonly MemberService.MemberServiceClient _members;
    private readonly CommunityService.CommunityServiceClient _communities;

    public GrpcProgressApi(Uri address)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            },
            MaxRetryAttempts = 0,
        });
        _members = new MemberService.MemberServiceClient(_channel);
        _communities = new CommunityService.CommunityServiceClient(_channel);
    }

    public string Protocol => "gRPC";

    public MemberService.MemberServiceClient Members => _members;

    public async Task<bool> SendAsync(PlannedEvent planned, string token, CancellationToken cancellationToken)
    {
        var options = Options(token, cancellationToken);
        try
        {
            return ProgressRequests.For(planned) switch
            {
                CompleteLessonRequest lesson => (await _members.CompleteLessonAsync(lesson, options)).Duplicate,
                CheckInRequest checkIn => (await _members.CheckInAsync(checkIn, options)).Duplicate,
                RecordQuizAttemptRequest quiz => (await _members.RecordQuizAttemptAsync(quiz, options)).Duplicate,
                var other => throw new InvalidOperationException($"No call for {other.Descriptor.Name}"),
            };
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            throw new CallFailedException(ex.StatusCode, ex.Status.Detail, ex);
        }
    }

    public async Task ReadProgressAsync(BenchMember member, string token, CancellationToken cancellationToken)
    {
        try
        {
            await _members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = member.MemberId }, Options(token, cancellationToken));
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            throw new CallFailedException(ex.StatusCode, ex.Status.Detail, ex);
        }
    }

    public async Task ReadRollupAsync(string communityId, string token, CancellationToken cancellationToken)
    {
        try
        {
            await _communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = communityId }, Options(token, cancellationToken));
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            throw new CallFailedException(ex.StatusCode, ex.Status.Detail, ex);
        }
    }

    public static CallOptions Options(string token, CancellationToken cancellationToken) =>
        new(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.Add(Deadline), cancellationToken);

    public void Dispose() => _channel.Dispose();
}

using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// The mini-program's calls over gRPC. Real clients each have a connection of their own; here the
/// simulated clients share <see cref="Connections"/> channels (a member always uses the same one),
/// because all of them on one HTTP/2 connection measured the connection's own locking, not the
/// server (with 64 callers on one connection, gRPC ingest came out below JSON's). No retry policy
/// on the channels: the load generator retries itself, so it can count every failed attempt.
/// </summary>
public sealed class GrpcProgressApi : IProgressApi
{
    public const int Connections = 8;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel[] _channels;
    private readonly MemberService.MemberServiceClient[] _members;
    private readonly CommunityService.CommunityServiceClient[] _communities;
    private int _next;

    public GrpcProgressApi(Uri address)
    {
        _channels = [.. Enumerable.Range(0, Connections).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            },
            MaxRetryAttempts = 0,
        }))];
        _members = [.. _channels.Select(c => new MemberService.MemberServiceClient(c))];
        _communities = [.. _channels.Select(c => new CommunityService.CommunityServiceClient(c))];
    }

    public string Protocol => "gRPC";

    public MemberService.MemberServiceClient Members => _members[0];

    public async Task<bool> SendAsync(PlannedEvent planned, string token, CancellationToken cancellationToken)
    {
        var options = Options(token, cancellationToken);
        try
        {
            return ProgressRequests.For(planned) switch
            {
                CompleteLessonRequest lesson => (await MembersOf(planned.Member).CompleteLessonAsync(lesson, options)).Duplicate,
                CheckInRequest checkIn => (await MembersOf(planned.Member).CheckInAsync(checkIn, options)).Duplicate,
                RecordQuizAttemptRequest quiz => (await MembersOf(planned.Member).RecordQuizAttemptAsync(quiz, options)).Duplicate,
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
            await MembersOf(member).GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = member.MemberId }, Options(token, cancellationToken));
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
            await _communities[(uint)Interlocked.Increment(ref _next) % Connections].GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = communityId }, Options(token, cancellationToken));
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            throw new CallFailedException(ex.StatusCode, ex.Status.Detail, ex);
        }
    }

    public static CallOptions Options(string token, CancellationToken cancellationToken) =>
        new(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.Add(Deadline), cancellationToken);

    private MemberService.MemberServiceClient MembersOf(BenchMember member) => _members[member.Index % Connections];

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}

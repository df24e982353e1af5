using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// The mini-program's calls as JSON over HTTP/1.1 (the transcoded routes of the protos): one
/// connection per concurrent caller, as browsers and WeChat's request API use. Errors are mapped to
/// the gRPC code in the body (google.rpc.Status), else to the code the HTTP status stands for.
/// </summary>
public sealed class JsonProgressApi : IProgressApi
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http;

    public JsonProgressApi(Uri address)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
        })
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Protocol => "JSON";

    public async Task<bool> SendAsync(PlannedEvent planned, string token, CancellationToken cancellationToken)
    {
        var member = Uri.EscapeDataString(planned.Member.MemberId);
        var path = planned.Kind switch
        {
            EventKind.Lesson => $"/v1/members/{member}/lessons/{Uri.EscapeDataString(planned.Target)}/complete",
            EventKind.CheckIn => $"/v1/members/{member}/checkins",
            _ => $"/v1/members/{member}/quizzes/{Uri.EscapeDataString(planned.Target)}/attempts",
        };
        using var body = new StringContent(Formatter.Format(ProgressRequests.For(planned)), Encoding.UTF8);
        body.Headers.ContentType = JsonType;
        var reply = await CallAsync(HttpMethod.Post, path, body, token, cancellationToken);
        using var json = JsonDocument.Parse(reply);
        return json.RootElement.TryGetProperty("duplicate", out var duplicate) && duplicate.ValueKind == JsonValueKind.True;
    }

    public Task ReadProgressAsync(BenchMember member, string token, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, $"/v1/members/{Uri.EscapeDataString(member.MemberId)}/progress", null, token, cancellationToken);

    public Task ReadRollupAsync(string communityId, string token, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, $"/v1/communities/{Uri.EscapeDataString(communityId)}/rollup", null, token, cancellationToken);

    private async Task<string> CallAsync(HttpMethod method, string path, HttpContent? body, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            throw new CallFailedException(CodeOf(response.StatusCode, text), $"HTTP {(int)response.StatusCode}: {Shorten(text)}");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CallFailedException(StatusCode.DeadlineExceeded, $"no answer within {Deadline.TotalSeconds:F0} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CallFailedException(StatusCode.Unavailable, ex.Message, ex);
        }
    }

    private static StatusCode CodeOf(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var value))
            {
                return (StatusCode)value;
            }
        }
        catch (JsonException)
        {
        }

        return status switch
        {
            HttpStatusCode.BadRequest => StatusCode.InvalidArgument,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.NotFound,
            HttpStatusCode.Conflict => StatusCode.AlreadyExists,
            HttpStatusCode.TooManyRequests => StatusCode.ResourceExhausted,
            HttpStatusCode.NotImplemented => StatusCode.Unimplemented,
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway => StatusCode.Unavailable,
            HttpStatusCode.GatewayTimeout => StatusCode.DeadlineExceeded,
            _ => StatusCode.Internal,
        };
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    public void Dispose() => _http.Dispose();
}

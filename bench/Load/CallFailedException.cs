using Grpc.Core;

namespace ProgressGrains.Bench.Load;

/// <summary>A call that did not succeed, with its gRPC status (JSON errors are mapped to the same codes).</summary>
public sealed class CallFailedException(StatusCode code, string detail, Exception? inner = null) : Exception($"{code}: {detail}", inner)
{
    public StatusCode Code { get; } = code;

    /// <summary>Codes after which the same event id is sent again: the outcome is unknown, the event may still be stored.</summary>
    public bool Retryable => Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded;
}

using System.Data.Common;
using System.Net.Sockets;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime;
using Orleans.Storage;
using ProgressGrains.Contracts;
using Status = Google.Rpc.Status;

namespace ProgressGrains.Gateway;

/// <summary>
/// Turns every failure into a gRPC status a client can act on: domain refusals keep their kind
/// and message, a cluster that cannot be reached is Unavailable (retry), and only a real bug is
/// Internal, without its details.
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception ex) when (context.CancellationToken.IsCancellationRequested && ex is OperationCanceledException)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled or its deadline passed."));
        }
        catch (Exception ex)
        {
            throw ToRpcException(ex, context.Method);
        }
    }

    private RpcException ToRpcException(Exception ex, string method)
    {
        if (ex is ProgressException refusal)
        {
            if (refusal.Kind == ErrorKind.Unavailable)
            {
                LogUnavailable(logger, ex, method);
            }

            return Refusal(refusal);
        }

        if (IsUnavailable(ex))
        {
            LogUnavailable(logger, ex, method);
            return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable,
                "The engine is not reachable right now; retry the same request (with the same event_id) shortly."));
        }

        LogUnexpected(logger, ex, method);
        return new RpcException(new Grpc.Core.Status(StatusCode.Internal,
            "An unexpected error occurred; it has been logged. Retrying with the same event_id is safe."));
    }

    /// <summary>
    /// Failures that a retry can cure: the cluster or its storage could not be reached (also when
    /// the storage failure surfaces wrapped, e.g. as a failed grain activation).
    /// </summary>
    private static bool IsUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
                or ClientNotAvailableException or TimeoutException or OperationCanceledException
                or DbException or SocketException or InconsistentStateException
                || e.GetType().Name == "ConnectionFailedException") // internal to Orleans
            {
                return true;
            }
        }

        return false;
    }

    private static RpcException Refusal(ProgressException refusal)
    {
        var code = refusal.Kind switch
        {
            ErrorKind.InvalidArgument => Code.InvalidArgument,
            ErrorKind.NotFound => Code.NotFound,
            ErrorKind.AlreadyExists => Code.AlreadyExists,
            ErrorKind.FailedPrecondition => Code.FailedPrecondition,
            ErrorKind.PermissionDenied => Code.PermissionDenied,
            ErrorKind.Unavailable => Code.Unavailable,
            ErrorKind.Unauthenticated => Code.Unauthenticated,
            _ => Code.Unknown,
        };
        var status = new Status { Code = (int)code, Message = refusal.Message };
        if (code == Code.InvalidArgument && !string.IsNullOrEmpty(refusal.Field))
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = refusal.Field, Description = refusal.Message });
            status.Details.Add(Any.Pack(badRequest));
        }

        return status.ToRpcException();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: the cluster is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}

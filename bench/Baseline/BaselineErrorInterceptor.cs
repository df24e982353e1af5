using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;

namespace ProgressGrains.Bench.Baseline;

/// <summary>
/// What a team would map: the database unreachable or the pool exhausted is Unavailable (the client
/// retries with the same event id); anything else unexpected is Internal.
/// </summary>
public sealed class BaselineErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException || ex.IsTransient)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"The database is not available: {ex.Message}"));
        }
        catch (PostgresException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"{ex.SqlState}: {ex.MessageText}"));
        }
        catch (TimeoutException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }
}

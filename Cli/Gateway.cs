using System.ComponentModel;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProgressGrains.Cli;

/// <summary>What every command needs: where the gateway is, and the token to call it with.</summary>
internal class GatewaySettings : CommandSettings
{
    [CommandOption("--gateway <URL>")]
    [Description("The gateway's gRPC address (default http://127.0.0.1:5081).")]
    public string Gateway { get; init; } = "http://127.0.0.1:5081";

    [CommandOption("--token <TOKEN>")]
    [Description("The bearer token (default: the PROGRESS_TOKEN environment variable).")]
    public string? Token { get; init; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("Deadline of each call (default 60).")]
    public int TimeoutSeconds { get; init; } = 60;

    public string ResolvedToken => Token ?? Environment.GetEnvironmentVariable("PROGRESS_TOKEN") ?? "";

    public override ValidationResult Validate()
    {
        if (!Uri.TryCreate(Gateway, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ValidationResult.Error($"--gateway '{Gateway}' is not an http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(ResolvedToken))
        {
            return ValidationResult.Error("A token is needed: --token TOKEN or PROGRESS_TOKEN (on a development server: dotnet run --project Silo -- token --role ...).");
        }

        return TimeoutSeconds is > 0 and <= 3600 ? ValidationResult.Success() : ValidationResult.Error("--timeout is between 1 and 3600 seconds.");
    }

    /// <summary>A channel that retries UNAVAILABLE (the README's policy): writes carry event ids, so a retry counts once.</summary>
    public GrpcChannel Channel() => GrpcChannel.ForAddress(Gateway, new GrpcChannelOptions
    {
        ServiceConfig = new ServiceConfig
        {
            MethodConfigs =
            {
                new MethodConfig
                {
                    Names = { MethodName.Default },
                    RetryPolicy = new RetryPolicy
                    {
                        MaxAttempts = 5,
                        InitialBackoff = TimeSpan.FromMilliseconds(200),
                        MaxBackoff = TimeSpan.FromSeconds(2),
                        BackoffMultiplier = 2,
                        RetryableStatusCodes = { StatusCode.Unavailable },
                    },
                },
            },
        },
    });

    public CallOptions Call(CancellationToken cancellationToken, string? token = null) =>
        new(new Metadata { { "authorization", $"Bearer {token ?? ResolvedToken}" } }, DateTime.UtcNow.AddSeconds(TimeoutSeconds), cancellationToken);
}

/// <summary>How failures are told and what exit code they give.</summary>
internal static class Failure
{
    public static string Describe(Exception exception) => exception switch
    {
        RpcException { StatusCode: StatusCode.Unauthenticated } rpc => $"the gateway refused the token: {rpc.Status.Detail}",
        RpcException { StatusCode: StatusCode.PermissionDenied } rpc => $"not allowed: {rpc.Status.Detail}",
        RpcException { StatusCode: StatusCode.Unavailable } rpc => $"the gateway is not reachable ({rpc.Status.Detail}); is it running, and is --gateway right?",
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        IOException or UnauthorizedAccessException => exception.Message,
        _ => exception.Message,
    };

    /// <summary>1: the request was refused or failed; 2: bad usage or input (command line, files); 3: the gateway could not be reached.</summary>
    public static int ExitCode(Exception exception) => exception switch
    {
        RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } => 3,
        RpcException { StatusCode: StatusCode.InvalidArgument } => 2,
        RpcException => 1,
        IOException or UnauthorizedAccessException or CommandAppException => 2,
        _ => 1,
    };
}

using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>One silo process running the demo, shared by the end-to-end tests (which run one at a time).</summary>
public sealed class DemoSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    /// <summary>More arguments for the silo (configuration).</summary>
    public string[] ExtraArgs { get; init; } = [];

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    public HttpClient Json { get; private set; } = null!;

    /// <summary>gRPC calls as the everyday test caller (<see cref="TestTokens.Acting"/>), unless a call sends its own token.</summary>
    public CallInvoker Grpc { get; private set; } = null!;

    /// <summary>The bare channel: calls carry no token unless given one.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(SiloProcess.NewDataDirectory(), demo: true, ExtraArgs);
        Json = TestIdentityHandler.Client(_silo.HttpBase);
        Channel = GrpcChannel.ForAddress(_silo.GrpcBase);
        Grpc = TestIdentityInterceptor.Wrap(Channel);
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        Json?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
            Directory.Delete(_silo.DataDirectory, recursive: true);
        }
    }

    public async Task<JsonElement> GetJson(string path)
    {
        using var response = await Json.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public async Task<(int Status, JsonElement Body)> PostJson(string path, object body)
    {
        using var response = await Json.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement);
    }
}

[CollectionDefinition(Name)]
public sealed class DemoSiloCollection : ICollectionFixture<DemoSiloFixture>
{
    public const string Name = "demo silo";
}

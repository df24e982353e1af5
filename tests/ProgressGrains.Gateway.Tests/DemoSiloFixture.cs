using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>One silo process running the demo, shared by the end-to-end tests (which run one at a time).</summary>
public sealed class DemoSiloFixture : IAsyncLifetime
{
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("Not started.");

    public HttpClient Json { get; private set; } = null!;

    public GrpcChannel Grpc { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloProcess.StartAsync(SiloProcess.NewDataDirectory(), demo: true);
        Json = new HttpClient { BaseAddress = _silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        Grpc = GrpcChannel.ForAddress(_silo.GrpcBase);
    }

    public async ValueTask DisposeAsync()
    {
        Grpc?.Dispose();
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

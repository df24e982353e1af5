using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProgressGrains.Tests.Shared;

/// <summary>
/// A PostgreSQL server of the test's own (scripts/postgres.sh on a free port), for tests that stop
/// and start the database under a running cluster without disturbing other tests.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _script;

    private PrivatePostgres(string script, string directory, int port)
    {
        _script = script;
        Directory = directory;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=30";
    }

    public string Directory { get; }

    public int Port { get; }

    public string ConnectionString { get; }

    /// <summary>Starts a new server, or skips the test (fails under CI=true) when none can be started here.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var script = FindScript();
        var directory = Path.Combine(Path.GetTempPath(), "progressgrains-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var server = new PrivatePostgres(script, directory, FreePort());
        var (code, output) = await server.RunAsync("start", directory, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (code != 0)
        {
            TestPostgres.SkipOrFail($"scripts/postgres.sh could not start a private PostgreSQL server: {output}");
        }

        return server;
    }

    public async Task StopAsync()
    {
        var (code, output) = await RunAsync("stop", Directory);
        Assert.True(code == 0, "stopping PostgreSQL failed: " + output);
    }

    public async Task RestartAsync()
    {
        var (code, output) = await RunAsync("start", Directory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, "starting PostgreSQL again failed: " + output);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop", Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "postgres.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("scripts/postgres.sh was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

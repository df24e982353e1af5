using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// The PostgreSQL server of one benchmark run: a fresh cluster (initdb in a temporary directory,
/// started on a free loopback port with fsync and synchronous_commit on, because durable writes
/// are what is measured), or, when a connection string is given, an existing server. Either way
/// each system gets a database of its own; disposal drops the databases created here and stops
/// and deletes a server started here, unless <see cref="Keep"/> is set.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string PostgresUser = "postgres";

    private readonly string? _binDirectory;
    private readonly List<string> _databases = [];

    private ThrowawayPostgres(string adminConnectionString, string? dataDirectory, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        DataDirectory = dataDirectory;
        _binDirectory = binDirectory;
    }

    public string AdminConnectionString { get; }

    /// <summary>The data directory of a server started here; null for an existing server.</summary>
    public string? DataDirectory { get; }

    /// <summary>Leave the server running and the databases in place (to look at them afterwards).</summary>
    public bool Keep { get; set; }

    public static ThrowawayPostgres UseExisting(string connectionString) => new(connectionString, null, null);

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), CultureInfo.InvariantCulture, out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install PostgreSQL or pass --ConnectionStrings:Progress=...");
        }

        var directory = Path.Combine(Path.GetTempPath(), "progressgrains-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        if (IsRoot)
        {
            // initdb and pg_ctl refuse to run as root.
            await RunAsync("chown", [$"{PostgresUser}:", directory], CancellationToken.None);
        }

        var server = new ThrowawayPostgres("", directory, bin);
        try
        {
            await server.RunToolAsync("initdb", ["-D", directory, "-A", "trust", "-U", PostgresUser, "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                // max_connections: the engine's pool (Npgsql's default 100) plus the baseline's plus ours.
                var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on -c full_page_writes=on";
                var (code, output) = await server.RunToolAsync("pg_ctl", ["-D", directory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o", options, "start"], cancellationToken, check: false);
                if (code == 0)
                {
                    return new ThrowawayPostgres($"Host=127.0.0.1;Port={port};Username={PostgresUser};Database=postgres;Timeout=15;Command Timeout=120", directory, bin);
                }

                if (attempt == 3)
                {
                    var log = File.Exists(Path.Combine(directory, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "server.log"), CancellationToken.None) : "";
                    throw new InvalidOperationException($"PostgreSQL did not start: {output}{Environment.NewLine}{log}");
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The server's version and the durability settings that matter for the numbers.</summary>
    public async Task<ServerFacts> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        async Task<string> Show(string setting)
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return new ServerFacts(await Show("server_version"), await Show("fsync"), await Show("synchronous_commit"), await Show("max_connections"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            return;
        }

        if (AdminConnectionString.Length > 0 && (DataDirectory is null || Directory.Exists(DataDirectory)))
        {
            foreach (var name in _databases)
            {
                try
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var connection = new NpgsqlConnection(AdminConnectionString);
                    await connection.OpenAsync(CancellationToken.None);
                    await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (NpgsqlException ex)
                {
                    Console.Error.WriteLine($"warning: could not drop database {name}: {ex.Message}");
                }
            }
        }

        if (DataDirectory is not null && _binDirectory is not null)
        {
            // A server stopped from outside (or never started) makes pg_ctl fail; the directory goes either way.
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], CancellationToken.None, check: false);
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"warning: could not delete {DataDirectory}: {ex.Message}");
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task<(int Code, string Output)> RunToolAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken, bool check = true)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return IsRoot
            ? RunAsync("runuser", ["-u", PostgresUser, "--", path, .. args], cancellationToken, check)
            : RunAsync(path, args, cancellationToken, check);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout + await stderr;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
    }
}

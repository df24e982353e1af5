using Npgsql;
using Testcontainers.PostgreSql;

namespace ProgressGrains.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for tests: the one <c>PROGRESS_TEST_POSTGRES</c> names (what
/// <c>.ci/run</c> and <c>scripts/postgres.sh</c> start), else a Testcontainers container when a
/// Docker engine answers, else the test is skipped — except under <c>CI=true</c>, where a missing
/// server is a failure. Each test gets a database of its own.
/// </summary>
public sealed class TestPostgres : IAsyncLifetime
{
    private PostgreSqlContainer? _container;
    private string? _adminConnectionString;
    private string? _unavailable;

    /// <summary>The server's data directory when this process may stop and start it (scripts/postgres.sh), else null.</summary>
    public static string? DataDirectory => Environment.GetEnvironmentVariable("PROGRESS_TEST_POSTGRES_DATA") is { Length: > 0 } d ? d : null;

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PROGRESS_TEST_POSTGRES") is { Length: > 0 } connectionString)
        {
            _adminConnectionString = connectionString;
            return;
        }

        try
        {
            _container = new PostgreSqlBuilder("postgres:15").Build();
            await _container.StartAsync();
            _adminConnectionString = _container.GetConnectionString();
        }
        catch (Exception ex)
        {
            _unavailable = $"No PostgreSQL: PROGRESS_TEST_POSTGRES is not set and Testcontainers could not start one ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}). "
                + "Start one with: eval \"$(scripts/postgres.sh start /tmp/progress-pg)\"";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>The admin connection string, or a skip (a failure under CI=true) when there is no server.</summary>
    public string RequireServer()
    {
        if (_adminConnectionString is not null)
        {
            return _adminConnectionString;
        }

        SkipOrFail(_unavailable ?? "No PostgreSQL.");
        return null!;
    }

    /// <summary>Skips the test, or fails it under <c>CI=true</c>, where every test must run.</summary>
    public static void SkipOrFail(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason + " CI=true: PostgreSQL tests must run.");
        }

        Assert.Skip(reason);
    }

    /// <summary>A new, empty database on the server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var admin = RequireServer();
        var name = "progress_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}

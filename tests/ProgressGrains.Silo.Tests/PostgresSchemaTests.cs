using ProgressGrains.Silo.Storage;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

public sealed class PostgresSchemaTests(TestPostgres postgres) : SchemaContractTests, IClassFixture<TestPostgres>
{
    protected override async Task<StorageSettings> NewStoreAsync() =>
        new(StorageSettings.PostgreSql, await postgres.CreateDatabaseAsync(), null);

    [Fact]
    public async Task MigrateCommand_OnPostgres_ReportsTheSchemaVersionAndExitsZero()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        string[] args = ["migrate", "--Storage:Provider=PostgreSQL", $"--ConnectionStrings:Progress={connectionString}"];

        var (exitCode, output) = await SiloProcess.RunAsync(Path.GetTempPath(), args);
        var (again, outputAgain) = await SiloProcess.RunAsync(Path.GetTempPath(), args);

        Assert.Equal(0, exitCode);
        Assert.Contains("script(s) applied now", output);
        Assert.DoesNotContain(" 0 script(s) applied now", output);
        Assert.Equal(0, again);
        Assert.Contains(" 0 script(s) applied now", outputAgain);
    }
}

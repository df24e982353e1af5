using Microsoft.Data.Sqlite;
using ProgressGrains.Silo.Storage;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

public sealed class SqliteSchemaTests : SchemaContractTests, IDisposable
{
    private readonly string _directory = SiloProcess.NewDataDirectory();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<StorageSettings> NewStoreAsync() =>
        Task.FromResult(StorageSettings.ForSqlite(Path.Combine(_directory, Guid.NewGuid().ToString("N"))));

    [Fact]
    public async Task MigrateCommand_ReportsTheSchemaVersionAndExitsZero()
    {
        var (exitCode, output) = await SiloProcess.RunAsync(_directory, "migrate", $"--Storage:DataDirectory={_directory}");
        var (again, outputAgain) = await SiloProcess.RunAsync(_directory, "migrate", $"--Storage:DataDirectory={_directory}");

        Assert.Equal(0, exitCode);
        Assert.Contains("2 script(s) applied now", output);
        Assert.Equal(0, again);
        Assert.Contains("0 script(s) applied now", outputAgain);
    }
}

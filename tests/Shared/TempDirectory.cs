namespace ProgressGrains.Tests.Shared;

/// <summary>
/// A directory for one test, deleted when disposed. Declare it first, so that it is disposed last,
/// after the processes that write into it.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = SiloProcess.NewDataDirectory();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Runtime.InteropServices;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// What the extra commands share with <c>compare</c> around their work: a temporary work directory
/// (the programs' logs, SQLite data), Ctrl+C and SIGTERM turned into cancellation so that the
/// servers and directories are still removed, and the exit codes: 0 measured, 1 a measurement
/// failed, 2 usage, 3 setup failed, 130 interrupted.
/// </summary>
public static class ExtrasRunner
{
    /// <param name="command">The command's name (in messages, and in the work directory's name).</param>
    /// <param name="run">The work, given the work directory and the token that Ctrl+C or SIGTERM cancels; returns the exit code.</param>
    /// <param name="keep">Leave the work directory in place even when all went well (<c>compare --keep</c>).</param>
    public static async Task<int> RunAsync(string command, Func<string, CancellationToken, Task<int>> run, bool keep = false)
    {
        using var stop = new CancellationTokenSource();
        // Repeats too: `dotnet run` and the terminal may each deliver one, and a second one ending the
        // process at once would leave the PostgreSQL server running.
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var work = Directory.CreateTempSubdirectory($"progressgrains-{command}-").FullName;
        try
        {
            var code = await run(work, stop.Token);
            if (code == 0 && !keep)
            {
                Directory.Delete(work, recursive: true);
            }
            else
            {
                Console.WriteLine($"logs of the programs: {work}");
            }

            return code;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            if (!keep)
            {
                Directory.Delete(work, recursive: true);
            }

            Console.Error.WriteLine($"{command}: interrupted; everything it started is stopped and removed.");
            return 130;
        }
        catch (Exception ex)
        {
            // Setup failed (PostgreSQL, the engine, an import): nothing to report; what was started is already stopped.
            Console.Error.WriteLine($"{command} failed: {ex}");
            Console.Error.WriteLine($"logs of the programs: {work}");
            return 3;
        }
    }
}

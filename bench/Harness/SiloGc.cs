using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// Makes another .NET process run a full, blocking GC, through its diagnostics port (as
/// dotnet-gcdump does: an EventPipe session that enables the runtime's GCHeapCollect keyword). The
/// engine has no call of its own for it, and the heap size it exports is the one after its last
/// GC, which without this could be any generation's and minutes old.
/// </summary>
public static class SiloGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Returns when the session is over; the caller checks the GC count to know it happened.</summary>
    public static async Task CollectAsync(int processId, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(processId);
        using var session = await client.StartEventPipeSessionAsync(
            new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
            requestRundown: false, circularBufferMB: 16, cancellationToken);
        // The runtime writes into the session until it is stopped: read it, or the events pile up.
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        // The collection starts when the keyword is enabled; a blocking gen2 of a few hundred MB takes well under this.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        await session.StopAsync(cancellationToken);
        await drain;
    }
}

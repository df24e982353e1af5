using System.Net;
using System.Net.Sockets;

namespace ProgressGrains.Bench.Harness;

/// <summary>Loopback ports nobody listens on now (others' benchmarks share this machine, so never a fixed port).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

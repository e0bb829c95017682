using System.Net;
using System.Net.Sockets;

namespace Resilink.Telemetry.Tests.Support;

/// <summary>Picks a 127.0.0.1 TCP port that nothing listens on right now.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

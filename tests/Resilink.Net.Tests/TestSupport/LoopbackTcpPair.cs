using System.Net;
using System.Net.Sockets;

namespace Resilink.Net.Tests.TestSupport;

/// <summary>A connected pair of loopback TCP <see cref="NetworkStream"/>s (the streams own their sockets).</summary>
internal static class LoopbackTcpPair
{
    public static async Task<(Stream Client, Stream Server)> CreateAsync(CancellationToken cancellationToken = default)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Task<Socket> accept = listener.AcceptSocketAsync(cancellationToken).AsTask();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, cancellationToken);
        Socket server = await accept;
        server.NoDelay = true;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }
}

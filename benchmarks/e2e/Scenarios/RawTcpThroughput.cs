using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Resilink.E2e.Scenarios;

/// <summary>(a) Plain TCP on loopback: the ceiling every libp2p stack sits under.</summary>
internal static class RawTcpThroughput
{
    public static async Task<Measurement> RunAsync(long bytes, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        var receive = Task.Run(async () =>
        {
            using var server = await listener.AcceptTcpClientAsync(cancellationToken);
            var stream = server.GetStream();
            var buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
            return total;
        }, cancellationToken);

        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(endpoint, cancellationToken);
        var chunk = new byte[256 * 1024];
        var watch = Stopwatch.StartNew();
        for (long sent = 0; sent < bytes; sent += chunk.Length)
        {
            await client.GetStream().WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)), cancellationToken);
        }
        client.Client.Shutdown(SocketShutdown.Send);
        var received = await receive;
        watch.Stop();
        return new Measurement("(a) raw TCP loopback", Measurement.Rate(received, watch.Elapsed));
    }
}

using System.Diagnostics;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.E2e.Scenarios;

/// <summary>(f) Eight parallel streams to one peer, over one connection and over three (issue 3's benchmark).</summary>
internal static class ParallelStreamsScenario
{
    private const int Streams = 8;

    public static async Task<Measurement> RunAsync(int connections, long bytes, CancellationToken cancellationToken)
    {
        await using var server = new Libp2pHost();
        await using var client = new Libp2pHost(new Libp2pHostOptions { Connections = { MaxConnectionsPerPeer = connections } });
        SinkProtocol.Register(server);
        await server.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        var opened = await client.DialPeerAsync(server.ListenAddresses[0].Encapsulate("/p2p/" + server.PeerId), cancellationToken);
        if (opened.Count != connections)
        {
            throw new InvalidOperationException($"Expected {connections} connections, got {opened.Count}.");
        }

        var perStream = bytes / Streams;
        await UploadAllAsync(client, server, ResilinkScenarios.WarmupBytes / Streams, cancellationToken); // warm-up
        var watch = Stopwatch.StartNew();
        await UploadAllAsync(client, server, perStream, cancellationToken);
        watch.Stop();
        return new Measurement($"(f) 8 streams over {connections} connection{(connections == 1 ? "" : "s")}", Measurement.Rate(perStream * Streams, watch.Elapsed));
    }

    private static Task UploadAllAsync(Libp2pHost client, Libp2pHost server, long perStream, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Streams).Select(async _ =>
        {
            await using var stream = await client.NewStreamAsync(server.PeerId, SinkProtocol.ProtocolId, cancellationToken);
            var acknowledged = await SinkProtocol.SendAsync(stream, perStream, _ => stream.CloseWriteAsync(cancellationToken), cancellationToken);
            if (acknowledged != perStream)
            {
                throw new InvalidOperationException($"Sink acknowledged {acknowledged} of {perStream} bytes.");
            }
        }));
}

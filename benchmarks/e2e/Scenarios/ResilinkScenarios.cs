using System.Diagnostics;
using Resilink.Interop.Tests.Support;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Ping;

namespace Resilink.E2e.Scenarios;

/// <summary>(b) Resilink to Resilink, and (d) Resilink to js-libp2p, over TCP + Noise + Yamux, one stream.</summary>
internal static class ResilinkScenarios
{
    /// <summary>Sent before every measured transfer, by both stacks (bench.mjs uses the same 64 MiB).</summary>
    public const long WarmupBytes = 64L * 1024 * 1024;

    /// <summary>Managed bytes allocated per MiB moved in the last measured upload (both hosts, one process).</summary>
    public static double LastAllocatedBytesPerMiB { get; private set; }

    /// <summary>Gen-0 collections during the last measured upload.</summary>
    public static int LastGen0Collections { get; private set; }

    public static async Task<Measurement> ResilinkToResilinkAsync(long bytes, int pings, CancellationToken cancellationToken)
    {
        await using var server = new Libp2pHost();
        await using var client = new Libp2pHost();
        SinkProtocol.Register(server);
        await server.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        var connection = await client.DialAsync(server.ListenAddresses[0].Encapsulate("/p2p/" + server.PeerId), cancellationToken);
        var mibps = await MeasureUploadAsync(client, server.PeerId, bytes, cancellationToken);
        var note = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{LastAllocatedBytesPerMiB:0} B allocated/MiB, {LastGen0Collections} gen0 GCs");
        var (p50, p99) = await MeasurePingsAsync(client, server.PeerId, pings, cancellationToken);
        return new Measurement("(b) Resilink -> Resilink", mibps, p50, p99, note);
    }

    public static async Task<List<Measurement>> WithJsAsync(long bytes, int pings, CancellationToken cancellationToken)
    {
        await using var js = await JsPeer.StartAsync(new JsPeerOptions { ConnectionMonitor = false }, cancellationToken);
        await using var host = new Libp2pHost();
        SinkProtocol.Register(host);
        await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        var jsPeer = PeerId.Parse(js.PeerId);
        await host.DialAsync(Multiaddr.Parse(js.Addresses[0]), cancellationToken);

        var outbound = await MeasureUploadAsync(host, jsPeer, bytes, cancellationToken);
        var (p50, p99) = await MeasurePingsAsync(host, jsPeer, pings, cancellationToken);

        var ourAddress = host.ListenAddresses[0].Encapsulate("/p2p/" + host.PeerId).ToString();
        await js.SendAsync("throughput", new { addr = ourAddress, bytes = WarmupBytes }, cancellationToken); // warm-up
        var reply = await js.SendAsync("throughput", new { addr = ourAddress, bytes }, cancellationToken);
        var inbound = reply.GetProperty("mibps").GetDouble();
        return
        [
            new Measurement("(d) Resilink -> js-libp2p", outbound, p50, p99),
            new Measurement("(d') js-libp2p -> Resilink", inbound, Note: "timed by js"),
        ];
    }

    internal static async Task<double> MeasureUploadAsync(Libp2pHost client, PeerId server, long bytes, CancellationToken cancellationToken)
    {
        await UploadAsync(client, server, WarmupBytes, cancellationToken); // warm-up: tiered JIT, window growth
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = GC.CollectionCount(0);
        var watch = Stopwatch.StartNew();
        var acknowledged = await UploadAsync(client, server, bytes, cancellationToken);
        watch.Stop();
        LastAllocatedBytesPerMiB = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (bytes / (1024.0 * 1024.0));
        LastGen0Collections = GC.CollectionCount(0) - gcBefore;
        if (acknowledged != bytes)
        {
            throw new InvalidOperationException($"Sink acknowledged {acknowledged} of {bytes} bytes.");
        }
        return Measurement.Rate(bytes, watch.Elapsed);
    }

    private static async Task<long> UploadAsync(Libp2pHost client, PeerId server, long bytes, CancellationToken cancellationToken)
    {
        await using var stream = await client.NewStreamAsync(server, SinkProtocol.ProtocolId, cancellationToken);
        return await SinkProtocol.SendAsync(stream, bytes, _ => stream.CloseWriteAsync(cancellationToken), cancellationToken);
    }

    // One ping stream reused for every round, as interop/js/bench.mjs does, so both sides time the same thing.
    private static async Task<(double P50, double P99)> MeasurePingsAsync(Libp2pHost client, PeerId server, int pings, CancellationToken cancellationToken)
    {
        await using var stream = await client.NewStreamAsync(server, PingProtocol.ProtocolId, cancellationToken);
        var samples = new List<double>(pings);
        for (var i = 0; i < pings + 50; i++)
        {
            var rtt = await PingProtocol.RoundTripAsync(stream, TimeProvider.System, cancellationToken);
            if (i >= 50)
            {
                samples.Add(rtt.TotalMilliseconds); // the first 50 warm up the JIT
            }
        }
        await stream.CloseWriteAsync(cancellationToken);
        return Measurement.Percentiles(samples);
    }
}

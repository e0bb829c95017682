using System.Collections.Concurrent;
using Resilink.Balancing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Swarm;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// One of three connections to a peer runs through a proxy that adds 200 ms each way: the latency-aware strategies
/// stop using it after their first measurement; least loaded, under concurrent load, sends it little because its slow
/// streams stay open; round robin keeps sending it a third of the traffic (the contrast).
/// </summary>
public sealed class DegradedConnectionRoutingTests : IAsyncLifetime
{
    private const int Requests = 45;
    private readonly HostFixtures _fixtures = new();
    private FaultInjectingProxy? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixtures.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    [InlineData(LoadBalancingStrategyKind.PowerOfTwoChoices)]
    public async Task NewStreamAsync_OneConnectionPlus200Ms_LatencyAwareStrategiesRouteAround(LoadBalancingStrategyKind strategy)
    {
        var (slowId, counts) = await RunAsync(strategy, Requests);

        // At most a couple of probes before its first measurement arrives; everything else goes to the fast two.
        Assert.InRange(counts.GetValueOrDefault(slowId), 0, 3);
        Assert.Equal(Requests, counts.Values.Sum());
    }

    [Fact]
    public async Task NewStreamAsync_OneConnectionPlus200Ms_RoundRobinStillSendsItAThird()
    {
        // Fewer requests: every third one pays the full 200 ms each way, several round trips per stream.
        var (slowId, counts) = await RunAsync(LoadBalancingStrategyKind.RoundRobin, requests: 6);

        Assert.Equal(2, counts.GetValueOrDefault(slowId));
    }

    [Fact]
    public async Task NewStreamAsync_OneConnectionPlus200MsUnderConcurrentLoad_LeastLoadedSendsItFewStreams()
    {
        // Eight workers share 240 requests. One on the slow connection takes two 400 ms round trips (negotiate, echo)
        // and its stream stays open all that time; one on a fast connection takes about a millisecond. Least loaded
        // picks the slow connection only while it has no more open streams than the less loaded fast one: if it holds
        // k of the other seven workers' streams, the fast two hold 7 - k, so only k <= 2 qualifies, and it never has
        // more than three in flight, a handful per 800 ms. Reaching 15 % (36) would take ten such rounds (8 s), only
        // possible if the fast echoes took over 150 ms each. Round robin would send it a third (80).
        const int requests = 240;
        var (slowId, counts) = await RunAsync(LoadBalancingStrategyKind.LeastLoaded, requests, workers: 8);

        Assert.InRange(counts.GetValueOrDefault(slowId), 1, requests * 15 / 100); // 1: it is first in the list and idle at the first pick
        Assert.Equal(requests, counts.Values.Sum());
    }

    /// <summary>Runs <paramref name="requests"/> echo requests on <paramref name="workers"/> concurrent workers; returns the streams per connection.</summary>
    private async Task<(string SlowId, IReadOnlyDictionary<string, int> Counts)> RunAsync(
        LoadBalancingStrategyKind strategy, int requests, int workers = 1)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { LoadBalancingStrategy = strategy }, IdentifyOnConnect = false });
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        _proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: _fixtures.Token);
        var slow = await a.DialAsync(_proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), _fixtures.Token);
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var payload = new byte[64];
        foreach (var connection in a.GetConnections(b.PeerId))
        {
            // Warm up every connection (and the JIT) first: a slow first stream on a fast connection would otherwise
            // set its peak-EWMA cost above the slow connection's for the rest of this short test.
            await EchoOnceAsync(await connection.NewStreamAsync([EchoProtocol.ProtocolId], _fixtures.Token), payload);
        }
        _proxy.SetDefaults(new FaultProfile { Latency = TimeSpan.FromMilliseconds(200) }); // degrade it once it is up

        var counts = new ConcurrentDictionary<string, int>();
        await HostFixtures.RunConcurrentlyAsync(workers, requests, async () =>
        {
            var stream = await a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token);
            counts.AddOrUpdate(stream.Connection.Id, 1, (_, n) => n + 1);
            await EchoOnceAsync(stream, payload);
        });
        return (slow.Id, counts);
    }

    private async Task EchoOnceAsync(Libp2pStream stream, byte[] payload)
    {
        await using (stream)
        {
            await stream.WriteAsync(payload, _fixtures.Token);
            await stream.CloseWriteAsync(_fixtures.Token);
            await stream.ReadExactlyAsync(new byte[payload.Length], _fixtures.Token);
        }
    }
}

using Resilink.Balancing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// One of three connections to a peer runs through a proxy that adds 200 ms each way: the latency-aware strategies
/// stop using it after their first measurement; round robin keeps sending it a third of the traffic (the contrast).
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

    private async Task<(string SlowId, Dictionary<string, int> Counts)> RunAsync(LoadBalancingStrategyKind strategy, int requests)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { LoadBalancingStrategy = strategy }, IdentifyOnConnect = false });
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        _proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: _fixtures.Token);
        var slow = await a.DialAsync(_proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), _fixtures.Token);
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        _proxy.SetDefaults(new FaultProfile { Latency = TimeSpan.FromMilliseconds(200) }); // degrade it once it is up

        var counts = new Dictionary<string, int>();
        var payload = new byte[64];
        for (var i = 0; i < requests; i++)
        {
            await using var stream = await a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token);
            counts[stream.Connection.Id] = counts.GetValueOrDefault(stream.Connection.Id) + 1;
            await stream.WriteAsync(payload, _fixtures.Token);
            await stream.CloseWriteAsync(_fixtures.Token);
            await stream.ReadExactlyAsync(new byte[payload.Length], _fixtures.Token);
        }
        return (slow.Id, counts);
    }
}

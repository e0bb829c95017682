using System.Collections.Concurrent;
using Resilink.Balancing;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;

namespace Resilink.Net.Tests.Host;

/// <summary>Several connections to one peer: the strategy spreads streams, and a dead connection costs no stream.</summary>
public sealed class MultiConnectionTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Fact]
    public async Task NewStreamAsync_TwoConnectionsRoundRobin_StreamsAlternateEvenly()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var perConnection = new ConcurrentDictionary<string, int>();
        b.SetStreamHandler("/which/1.0.0", (stream, _) =>
        {
            perConnection.AddOrUpdate(stream.Connection.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        await _fixtures.ConnectAsync(a, b);
        await _fixtures.ConnectAsync(a, b);
        Assert.Equal(2, a.GetConnections(b.PeerId).Count);

        for (var i = 0; i < 100; i++)
        {
            await using var stream = await a.NewStreamAsync(b.PeerId, "/which/1.0.0", _fixtures.Token);
            Assert.Equal(0, await stream.ReadAsync(new byte[1], _fixtures.Token)); // wait for the handler to finish
        }

        Assert.Equal([50, 50], perConnection.Values.Order());
        Assert.All(a.GetConnections(b.PeerId), c =>
        {
            Assert.Equal(0, c.Stats.Outstanding);      // every stream released its slot
            Assert.True(c.Stats.HasLatencySample);     // open + negotiate round trips were recorded
        });
    }

    [Fact]
    public async Task NewStreamAsync_OneOfTwoConnectionsKilledUnderIt_NoStreamFails()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { LoadBalancingStrategy = LoadBalancingStrategyKind.RoundRobin });
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);
        await _fixtures.ConnectAsync(a, b);

        // b drops one connection with a reset; a has not noticed yet when it starts opening streams.
        b.GetConnections(a.PeerId)[0].Abort();
        var payload = new byte[1024];
        for (var i = 0; i < 20; i++)
        {
            var echoed = await EchoProtocol.EchoAsync(a, b.PeerId, payload, _fixtures.Token);
            Assert.Equal(payload.Length, echoed.Length);
        }

        Assert.Single(b.GetConnections(a.PeerId));
    }

    [Theory]
    [InlineData(LoadBalancingStrategyKind.LeastLoaded)]
    [InlineData(LoadBalancingStrategyKind.PowerOfTwoChoices)]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    public async Task NewStreamAsync_AnyStrategyOverThreeConnections_AllStreamsSucceed(LoadBalancingStrategyKind strategy)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { LoadBalancingStrategy = strategy });
        var b = await _fixtures.StartHostAsync();
        for (var i = 0; i < 3; i++)
        {
            await _fixtures.ConnectAsync(a, b);
        }

        var echoes = Enumerable.Range(0, 60).Select(_ => EchoProtocol.EchoAsync(a, b.PeerId, new byte[4096], _fixtures.Token));

        Assert.All(await Task.WhenAll(echoes), e => Assert.Equal(4096, e.Length));
        Assert.All(a.GetConnections(b.PeerId), c => Assert.Equal(0, c.Stats.Outstanding));
    }
}

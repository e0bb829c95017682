using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Net.Host;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Host;

/// <summary>A connection this side closes ends Closed; one the peer or the network ends goes Dead.</summary>
public sealed class HostClosedStatusTests : IAsyncDisposable
{
    private readonly HostFixtures _fixtures = new();

    private static Libp2pHostOptions Monitored() => new()
    {
        Health = { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromSeconds(2) },
    };

    [Fact]
    public async Task DisposeAsync_HealthyConnections_RaisesClosedNotDeadWhileThePeerSeesThemDead()
    {
        var closingMetrics = new RecordingConnectionMonitor();
        var closing = new Libp2pHost(Monitored(), connectionMonitor: closingMetrics);
        await closing.StartAsync([Net.Addressing.Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], _fixtures.Token);
        _fixtures.Add(closing);
        var closingChanges = new HealthChangeRecorder(closing);
        var peer = await _fixtures.StartHostAsync(Monitored());
        var peerChanges = new HealthChangeRecorder(peer);
        var first = await _fixtures.ConnectAsync(closing, peer);
        var second = await _fixtures.ConnectAsync(closing, peer);
        await closingChanges.WaitForStatusAsync(first.Id, HealthStatus.Healthy, _fixtures.Token);
        await closingChanges.WaitForStatusAsync(second.Id, HealthStatus.Healthy, _fixtures.Token);
        var peerSide = peer.GetConnections(closing.PeerId).Select(c => c.Id).ToList();

        await closing.DisposeAsync();

        foreach (var id in new[] { first.Id, second.Id })
        {
            var closed = await closingChanges.WaitForStatusAsync(id, HealthStatus.Closed, _fixtures.Token);
            Assert.Equal(HealthStatus.Healthy, closed.Previous);
            Assert.StartsWith("closed locally: ", closed.Reason, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(closingChanges.Changes, c => c.Current == HealthStatus.Dead);
        Assert.DoesNotContain(closingMetrics.Of<HealthStatusEvent>(), e => e.To == HealthStatus.Dead);
        Assert.Equal(2, closingMetrics.Of<HealthStatusEvent>().Count(e => e.To == HealthStatus.Closed));
        foreach (var id in peerSide)
        {
            await peerChanges.WaitForStatusAsync(id, HealthStatus.Dead, _fixtures.Token); // lost to its peer: a death
        }
    }

    [Fact]
    public async Task HangUpAsync_HealthyConnection_RaisesClosed()
    {
        var closing = await _fixtures.StartHostAsync(Monitored());
        var changes = new HealthChangeRecorder(closing);
        var peer = await _fixtures.StartHostAsync();
        var connection = await _fixtures.ConnectAsync(closing, peer);
        await changes.WaitForStatusAsync(connection.Id, HealthStatus.Healthy, _fixtures.Token);

        await closing.HangUpAsync(peer.PeerId);

        await changes.WaitForStatusAsync(connection.Id, HealthStatus.Closed, _fixtures.Token);
        Assert.DoesNotContain(changes.Changes, c => c.Current == HealthStatus.Dead);
    }

    public ValueTask DisposeAsync() => _fixtures.DisposeAsync();
}

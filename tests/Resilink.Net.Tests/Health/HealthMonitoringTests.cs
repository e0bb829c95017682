using System.Diagnostics;
using Resilink.Balancing;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Net.Chaos;
using Resilink.Net.Protocols.Echo;

namespace Resilink.Net.Tests.Health;

/// <summary>
/// Health monitoring over real loopback connections, one of three through the fault-injecting proxy: degraded by
/// latency, black-holed, reset, recovered.
/// </summary>
public sealed class HealthMonitoringTests : IAsyncLifetime
{
    private HealthScenario _scenario = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Theory]
    [InlineData(LoadBalancingStrategyKind.HealthBased)]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    public async Task Plus300MsRoundTrip_ConnectionIsDegradedAndHealthAwareRoutingAvoidsIt(LoadBalancingStrategyKind strategy)
    {
        _scenario = await HealthScenario.StartAsync(strategy);
        var faultedAt = DateTimeOffset.UtcNow; // only a change the fault caused counts, not one left from start-up
        _scenario.FaultyLink.Faults = new FaultProfile { Latency = TimeSpan.FromMilliseconds(150) };

        var change = await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Degraded, c => c.Timestamp >= faultedAt);

        Assert.Matches("score 0[.][0-6]|RTT", change.Reason); // the latency part of the score, or the RTT limit
        var used = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            await using var stream = await _scenario.A.NewStreamAsync(_scenario.B.PeerId, EchoProtocol.ProtocolId, _scenario.Token);
            used.Add(stream.Connection.Id);
        }

        Assert.DoesNotContain(_scenario.Faulty.Id, used);
        Assert.True(_scenario.A.HealthMonitor!.IsRoutable(_scenario.Faulty)); // degraded, not excluded
    }

    [Fact]
    public async Task BlackHoled_IsDeadWithinPingTimeoutPlusIntervalAndReplaced_OtherConnectionsLoseNothing()
    {
        _scenario = await HealthScenario.StartAsync(
            LoadBalancingStrategyKind.RoundRobin, monitorBothSides: true, pingTimeout: HealthScenario.FastPingTimeout);
        await using var load = EchoLoad.Start(_scenario.A, _scenario.B.PeerId, workers: 4);

        var clock = Stopwatch.StartNew();
        var faultedAt = DateTimeOffset.UtcNow;
        _scenario.FaultyLink.Faults = new FaultProfile { BlackHole = true };
        await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Dead, c => c.Timestamp >= faultedAt);
        var detection = clock.Elapsed;
        var replacements = await _scenario.WaitForRoutableConnectionsAsync(3, excluded: _scenario.Faulty);
        await load.StopAsync();

        // The bound of the design (PingTimeout + one interval) plus scheduling slack for a loaded 2-core machine.
        Assert.True(detection < HealthScenario.FastPingTimeout + HealthScenario.Interval + TimeSpan.FromSeconds(1.5), $"detected after {detection}");
        Assert.Equal(3, replacements.Count);
        AssertOnlyTheFaultyConnectionFailed(load);
    }

    [Fact]
    public async Task Reset_IsDeadAtOnceAndReplaced_OtherConnectionsLoseNothing()
    {
        _scenario = await HealthScenario.StartAsync(LoadBalancingStrategyKind.RoundRobin);
        await using var load = EchoLoad.Start(_scenario.A, _scenario.B.PeerId, workers: 4);

        _scenario.FaultyLink.Reset();
        var change = await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Dead);
        var replacements = await _scenario.WaitForRoutableConnectionsAsync(3, excluded: _scenario.Faulty);
        await load.StopAsync();

        Assert.Contains("closed", change.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, replacements.Count);
        Assert.Contains(
            new ConnectionReplacementEvent(_scenario.Faulty.Id, _scenario.B.PeerId.ToString(), ReplacementReason.Dead),
            _scenario.MonitorA.Of<ConnectionReplacementEvent>());
        Assert.DoesNotContain(_scenario.A.GetConnections(_scenario.B.PeerId), c => ReferenceEquals(c, _scenario.Faulty));
        AssertOnlyTheFaultyConnectionFailed(load);
    }

    [Fact]
    public async Task LatencyRemoved_DegradedConnectionComesBackToHealthy()
    {
        _scenario = await HealthScenario.StartAsync();
        var faultedAt = DateTimeOffset.UtcNow;
        _scenario.FaultyLink.Faults = new FaultProfile { Latency = TimeSpan.FromMilliseconds(150) };
        await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Degraded, c => c.Timestamp >= faultedAt);

        _scenario.FaultyLink.Faults = new FaultProfile();
        var change = await _scenario.WaitForStatusAsync(_scenario.Faulty.Id, HealthStatus.Healthy, c => c.Previous == HealthStatus.Degraded);

        Assert.Equal(HealthStatus.Degraded, change.Previous);
        Assert.Equal(3, _scenario.A.GetConnections(_scenario.B.PeerId).Count); // never replaced
    }

    [Fact]
    public async Task GetNetworkHealthSummary_ThreeHealthyConnections_CountsThemAll()
    {
        _scenario = await HealthScenario.StartAsync();
        foreach (var connection in _scenario.A.GetConnections(_scenario.B.PeerId))
        {
            await _scenario.WaitForStatusAsync(connection.Id, HealthStatus.Healthy);
        }

        var summary = _scenario.A.GetNetworkHealthSummary();
        var peer = _scenario.A.GetConnectionHealth(_scenario.B.PeerId);

        Assert.Equal((1, 3), (summary.TotalPeers, summary.TotalConnections));
        Assert.Equal(3, summary.ConnectionsByStatus[HealthStatus.Healthy]);
        Assert.Empty(summary.UnhealthyPeers);
        Assert.Equal(HealthStatus.Healthy, peer.Status);
        Assert.All(peer.Connections, c => Assert.True(c.Rtt.SampleCount > 0 && c.Bandwidth.BytesOut > 0));

        await using (await _scenario.A.NewStreamAsync(_scenario.B.PeerId, EchoProtocol.ProtocolId, _scenario.Token))
        {
            var opened = _scenario.A.GetConnectionHealth(_scenario.B.PeerId).Connections.Sum(c => c.StreamsOpened);
            Assert.Equal(1, opened); // the ping streams are not user streams
            Assert.Equal(1, _scenario.A.GetConnectionHealth(_scenario.B.PeerId).Connections.Sum(c => c.ActiveStreams));
        }
    }

    private void AssertOnlyTheFaultyConnectionFailed(EchoLoad load)
    {
        Assert.True(load.Requests > 0);
        Assert.Empty(load.Failures); // every request succeeded, at worst on its retry
        Assert.All(load.FailedAttempts.Keys, id => Assert.Equal(_scenario.Faulty.Id, id));
    }
}

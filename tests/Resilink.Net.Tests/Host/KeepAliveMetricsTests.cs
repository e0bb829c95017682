using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Resilience;
using Resilink.Telemetry;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// Re-dials on the Resilink meter over real loopback sockets: a kept-alive peer reached through the fault-injecting
/// proxy has its connection reset, and the re-dial shows up on <c>resilink.reconnect.attempts</c> and
/// <c>resilink.reconnections</c>.
/// </summary>
public sealed class KeepAliveMetricsTests
{
    [Fact]
    public async Task KeepAlive_ConnectionResetByProxy_RedialCountedOnTheReconnectCounters()
    {
        using var instruments = new ResilinkInstruments();
        using var attempts = new MetricCollector<long>(instruments.ReconnectAttempts);
        using var reconnections = new MetricCollector<long>(instruments.Reconnections);
        await using var fixtures = new HostFixtures();
        var a = await fixtures.StartHostAsync(
            new Libp2pHostOptions { Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(20), JitterFactor = 0 } },
            new MetricsConnectionMonitor(instruments));
        var b = await fixtures.StartHostAsync();
        await using var proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: fixtures.Token);
        await a.DialAsync(proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), fixtures.Token);
        var reconnected = new TaskCompletionSource<ReconnectEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Reconnected += (_, e) => reconnected.TrySetResult(e);
        a.KeepAlive(b.PeerId);
        Assert.Empty(attempts.GetMeasurementSnapshot()); // connected: nothing re-dialed yet

        proxy.ResetAll();
        var done = await reconnected.Task.WaitAsync(fixtures.Token);

        Assert.Equal(1, reconnections.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal("success", Assert.Single(reconnections.GetMeasurementSnapshot()).Tags[ResilinkTagNames.Outcome]);
        var byOutcome = attempts.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags[ResilinkTagNames.Outcome]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(1, byOutcome["success"]);
        Assert.Equal(done.Attempt - 1, byOutcome.GetValueOrDefault("failure"));
    }
}

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
public sealed class KeepAliveMetricsTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();
    private readonly ResilinkInstruments _instruments = new();
    private FaultInjectingProxy? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fixtures.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        _instruments.Dispose();
    }

    [Fact]
    public async Task KeepAlive_ConnectionResetByProxy_RedialCountedOnTheReconnectCounters()
    {
        using var attempts = new MetricCollector<long>(_instruments.ReconnectAttempts);
        using var reconnections = new MetricCollector<long>(_instruments.Reconnections);
        var a = await _fixtures.StartHostAsync(
            new Libp2pHostOptions { Reconnect = { InitialDelay = TimeSpan.FromMilliseconds(20), JitterFactor = 0 } },
            new MetricsConnectionMonitor(_instruments));
        var b = await _fixtures.StartHostAsync();
        _proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: _fixtures.Token);
        await a.DialAsync(_proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), _fixtures.Token);
        var reconnected = new TaskCompletionSource<ReconnectEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Reconnected += (_, e) => reconnected.TrySetResult(e);
        a.KeepAlive(b.PeerId);
        Assert.Empty(attempts.GetMeasurementSnapshot()); // connected: nothing re-dialed yet

        _proxy.ResetAll();
        var done = await reconnected.Task.WaitAsync(_fixtures.Token);

        Assert.Equal(1, reconnections.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal("success", Assert.Single(reconnections.GetMeasurementSnapshot()).Tags[ResilinkTagNames.Outcome]);
        var byOutcome = attempts.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags[ResilinkTagNames.Outcome]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(1, byOutcome["success"]);
        Assert.Equal(done.Attempt - 1, byOutcome.GetValueOrDefault("failure"));
    }
}

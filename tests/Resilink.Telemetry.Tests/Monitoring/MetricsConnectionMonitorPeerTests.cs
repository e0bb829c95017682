using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Monitoring;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorPeerTests
{
    [Fact]
    public void OnCircuitBreakerStateChanged_SeveralBreakers_CountsBreakersInEachState()
    {
        using var h = new MonitorHarness();
        using var state = new MetricCollector<long>(h.Instruments.CircuitBreakerState);

        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("b", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Open, CircuitState.HalfOpen));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.HalfOpen, CircuitState.Closed));
        h.Monitor.OnCircuitBreakerStateChanged(new("c", CircuitState.Closed, CircuitState.Isolated));

        Assert.Equal(
            new Dictionary<string, long> { ["open"] = 1, ["half_open"] = 0, ["closed"] = 1, ["isolated"] = 1 },
            state.SumBy("state"));
    }

    [Fact]
    public void OnCircuitBreakerStateChanged_MissedReport_MovesFromLastSeenState()
    {
        using var h = new MonitorHarness();
        using var state = new MetricCollector<long>(h.Instruments.CircuitBreakerState);

        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));
        // Open -> HalfOpen was never reported.
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.HalfOpen, CircuitState.Closed));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Closed));

        Assert.Equal(new Dictionary<string, long> { ["open"] = 0, ["closed"] = 1 }, state.SumBy("state"));
    }

    [Fact]
    public void OnCircuitBreakerStateChanged_MoreBreakersThanTracked_StopsCountingTheOldest()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { MaxTrackedCircuitBreakers = 2 });
        using var state = new MetricCollector<long>(h.Instruments.CircuitBreakerState);

        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("b", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("c", CircuitState.Closed, CircuitState.Isolated));

        Assert.Equal(new Dictionary<string, long> { ["open"] = 1, ["isolated"] = 1 }, state.SumBy("state"));
        Assert.Equal(2, h.Monitor.TrackedCircuitBreakers);
    }

    [Fact]
    public void OnPeer_DiscoveredConnectedLost_UpdatesPeerInstruments()
    {
        using var h = new MonitorHarness();
        using var discovered = new MetricCollector<long>(h.Instruments.PeersDiscovered);
        using var connected = new MetricCollector<long>(h.Instruments.PeersConnected);
        using var lost = new MetricCollector<long>(h.Instruments.PeersLost);

        h.Monitor.OnPeer(new("a", PeerChange.Discovered, "dial"));
        h.Monitor.OnPeer(new("b", PeerChange.Discovered, "inbound"));
        h.Monitor.OnPeer(new("c", PeerChange.Discovered, null));
        h.Monitor.OnPeer(new("a", PeerChange.Connected, null));
        h.Monitor.OnPeer(new("b", PeerChange.Connected, null));
        h.Monitor.OnPeer(new("a", PeerChange.Lost, null));

        Assert.Equal(new Dictionary<string, long> { ["dial"] = 1, ["inbound"] = 1, ["unknown"] = 1 }, discovered.SumBy("source"));
        Assert.Equal(1, connected.Sum());
        Assert.Equal(1, lost.Sum());
    }

    [Fact]
    public void OnMessage_Always_CountsSizesAndLatenciesByType()
    {
        using var h = new MonitorHarness();
        using var messages = new MetricCollector<long>(h.Instruments.Messages);
        using var size = new MetricCollector<long>(h.Instruments.MessageSize);
        using var latency = new MetricCollector<double>(h.Instruments.MessageLatency);

        h.Monitor.OnMessage(new("p", "ping", 128, TimeSpan.FromMilliseconds(3), Outbound: true));
        h.Monitor.OnMessage(new("p", "ping", 64, null, Outbound: false));
        h.Monitor.OnMessage(new("p", "chat", 1000, TimeSpan.FromMilliseconds(250), Outbound: true));

        Assert.Equal(1, messages.Sum(("message.type", "ping"), ("direction", "out")));
        Assert.Equal(1, messages.Sum(("message.type", "ping"), ("direction", "in")));
        Assert.Equal(1, messages.Sum(("message.type", "chat"), ("direction", "out")));
        Assert.Equal([128L, 64L], size.Values(("message.type", "ping")));
        Assert.Equal([0.003], latency.Values(("message.type", "ping")));
        Assert.Equal([0.25], latency.Values(("message.type", "chat")));
    }

    [Fact]
    public void OnMessage_MoreMessageTypesThanDefaultCap_ReportsTheRestAsOther()
    {
        using var h = new MonitorHarness();
        using var messages = new MetricCollector<long>(h.Instruments.Messages);
        using var size = new MetricCollector<long>(h.Instruments.MessageSize);

        for (int i = 0; i < 120; i++)
        {
            h.Monitor.OnMessage(new("p", $"type_{i}", 10, null, Outbound: true));
        }

        IReadOnlyDictionary<string, long> byType = messages.SumBy("message.type");
        Assert.Equal(101, byType.Count);
        Assert.Equal(20, byType["other"]);
        Assert.Equal(20, size.Values(("message.type", "other")).Count);
    }

    [Fact]
    public void OnBufferedMessages_Deltas_AddUp()
    {
        using var h = new MonitorHarness();
        using var buffered = new MetricCollector<long>(h.Instruments.MessagesBuffered);

        h.Monitor.OnBufferedMessages(new("p", 5));
        h.Monitor.OnBufferedMessages(new("q", 2));
        h.Monitor.OnBufferedMessages(new("p", -4));

        Assert.Equal(3, buffered.Sum());
    }

    [Fact]
    public void OnPoolUtilization_Always_RecordsShareOfCapacityByPool()
    {
        using var h = new MonitorHarness();
        using var utilization = new MetricCollector<double>(h.Instruments.PoolUtilization);

        h.Monitor.OnPoolUtilization(new("db", InUse: 3, Capacity: 4));
        h.Monitor.OnPoolUtilization(new("cache", InUse: 9, Capacity: 8));
        h.Monitor.OnPoolUtilization(new("empty", InUse: 0, Capacity: 0));

        Assert.Equal([0.75], utilization.Values(("pool", "db")));
        Assert.Equal([1.0], utilization.Values(("pool", "cache")));
        Assert.Equal(2, utilization.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public void OnPoolUtilization_Always_RecordsWaitersByPoolEvenWithNothingOpen()
    {
        using var h = new MonitorHarness();
        using var waiters = new MetricCollector<int>(h.Instruments.PoolWaiters);

        h.Monitor.OnPoolUtilization(new("db", InUse: 4, Capacity: 4, Waiters: 7));
        h.Monitor.OnPoolUtilization(new("empty", InUse: 0, Capacity: 0, Waiters: 3));
        h.Monitor.OnPoolUtilization(new("odd", InUse: 0, Capacity: 1, Waiters: -1));

        Assert.Equal([7], waiters.Values(("pool", "db")));
        Assert.Equal([3], waiters.Values(("pool", "empty")));
        Assert.Equal([0], waiters.Values(("pool", "odd")));
    }
}

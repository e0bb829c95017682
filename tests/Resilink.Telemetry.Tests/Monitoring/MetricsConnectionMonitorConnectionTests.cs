using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Monitoring;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorConnectionTests
{
    [Fact]
    public void OnConnectionAttempt_EachOutcomeAndDirection_CountsWithBothTags()
    {
        using var h = new MonitorHarness();
        using var attempts = new MetricCollector<long>(h.Instruments.ConnectionAttempts);

        h.Monitor.OnConnectionAttempt(new("p", AttemptOutcome.Success, TimeSpan.Zero, null, Inbound: false));
        h.Monitor.OnConnectionAttempt(new("p", AttemptOutcome.Success, TimeSpan.Zero, null, Inbound: false));
        h.Monitor.OnConnectionAttempt(new("p", AttemptOutcome.Failure, TimeSpan.Zero, "refused", Inbound: true));
        h.Monitor.OnConnectionAttempt(new("p", AttemptOutcome.Timeout, TimeSpan.Zero, "timeout", Inbound: false));

        Assert.Equal(2, attempts.Sum(("outcome", "success"), ("direction", "outbound")));
        Assert.Equal(1, attempts.Sum(("outcome", "failure"), ("direction", "inbound")));
        Assert.Equal(1, attempts.Sum(("outcome", "timeout"), ("direction", "outbound")));
        Assert.Equal(4, attempts.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public void OnConnectionStateChanged_Always_CountsTransitionWithLowercaseStates()
    {
        using var h = new MonitorHarness();
        using var transitions = new MetricCollector<long>(h.Instruments.ConnectionStateTransitions);

        h.Monitor.OnConnectionStateChanged(new(null, "p", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        h.Monitor.OnConnectionStateChanged(new(null, "p", ConnectionState.Connecting, ConnectionState.Failed, "refused"));

        Assert.Equal(1, transitions.Sum(("from", "disconnected"), ("to", "connecting")));
        Assert.Equal(1, transitions.Sum(("from", "connecting"), ("to", "failed")));
    }

    [Fact]
    public void OnConnectionStateChanged_FullLifecycle_MovesOneConnectionThroughActiveStates()
    {
        using var h = new MonitorHarness();
        using var active = new MetricCollector<long>(h.Instruments.ConnectionsActive);

        h.Monitor.OnConnectionStateChanged(new(null, "p", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        Assert.Equal(new Dictionary<string, long> { ["connecting"] = 1 }, active.SumBy("state"));

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        Assert.Equal(new Dictionary<string, long> { ["connecting"] = 0, ["connected"] = 1 }, active.SumBy("state"));

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connected, ConnectionState.Disconnecting, null));
        Assert.Equal(new Dictionary<string, long> { ["connecting"] = 0, ["connected"] = 0, ["disconnecting"] = 1 }, active.SumBy("state"));

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Disconnecting, ConnectionState.Disconnected, null));
        Assert.All(active.SumBy("state").Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public void OnConnectionStateChanged_FailedAttempt_LeavesNoActiveConnection()
    {
        using var h = new MonitorHarness();
        using var active = new MetricCollector<long>(h.Instruments.ConnectionsActive);

        h.Monitor.OnConnectionStateChanged(new(null, "p", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        h.Monitor.OnConnectionStateChanged(new(null, "p", ConnectionState.Connecting, ConnectionState.Failed, "refused"));

        Assert.Equal(new Dictionary<string, long> { ["connecting"] = 0 }, active.SumBy("state"));
    }

    [Theory]
    [InlineData(ConnectionState.Disconnecting)]
    [InlineData(ConnectionState.Disconnected)]
    public void OnConnectionStateChanged_LeavingConnected_RecordsDurationInSeconds(ConnectionState next)
    {
        using var h = new MonitorHarness();
        using var duration = new MetricCollector<double>(h.Instruments.ConnectionDuration);

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        h.Time.Advance(TimeSpan.FromSeconds(42.5));
        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connected, next, null));
        h.Monitor.OnConnectionStateChanged(new("c1", "p", next, ConnectionState.Disconnected, null));

        Assert.Equal([42.5], duration.Values());
        Assert.Equal(0, h.Monitor.TrackedConnections);
    }

    [Fact]
    public void OnConnectionStateChanged_ConnectionsOverlapping_RecordsEachOwnDuration()
    {
        using var h = new MonitorHarness();
        using var duration = new MetricCollector<double>(h.Instruments.ConnectionDuration);

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Monitor.OnConnectionStateChanged(new("c2", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connected, ConnectionState.Disconnected, null));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Monitor.OnConnectionStateChanged(new("c2", "p", ConnectionState.Connected, ConnectionState.Disconnected, null));

        Assert.Equal([15.0, 6.0], duration.Values());
    }

    [Fact]
    public void OnConnectionStateChanged_NeverConnected_RecordsNoDuration()
    {
        using var h = new MonitorHarness();
        using var duration = new MetricCollector<double>(h.Instruments.ConnectionDuration);

        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        h.Monitor.OnConnectionStateChanged(new("c1", "p", ConnectionState.Connecting, ConnectionState.Failed, null));
        h.Monitor.OnConnectionStateChanged(new("c9", "p", ConnectionState.Connected, ConnectionState.Disconnected, null));

        Assert.Empty(duration.GetMeasurementSnapshot());
    }

    [Fact]
    public void OnConnectionStateChanged_MoreOpenConnectionsThanTracked_ForgetsOldestAndStaysBounded()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { MaxTrackedConnections = 2 });
        using var duration = new MetricCollector<double>(h.Instruments.ConnectionDuration);

        foreach (string id in new[] { "c1", "c2", "c3" })
        {
            h.Monitor.OnConnectionStateChanged(new(id, "p", ConnectionState.Connecting, ConnectionState.Connected, null));
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(2, h.Monitor.TrackedConnections);

        foreach (string id in new[] { "c1", "c2", "c3" })
        {
            h.Monitor.OnConnectionStateChanged(new(id, "p", ConnectionState.Connected, ConnectionState.Disconnected, null));
        }

        Assert.Equal([2.0, 1.0], duration.Values());
        Assert.Equal(0, h.Monitor.TrackedConnections);
    }

    [Fact]
    public void OnConnectionStateChanged_ManyConnectionsNeverClosed_HoldsAtMostTheBound()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { MaxTrackedConnections = 100 });

        for (int i = 0; i < 10_000; i++)
        {
            h.Monitor.OnConnectionStateChanged(new($"c{i}", "p", ConnectionState.Connecting, ConnectionState.Connected, null));
        }

        Assert.Equal(100, h.Monitor.TrackedConnections);
    }

    [Fact]
    public void OnRttSample_Always_RecordsSeconds()
    {
        using var h = new MonitorHarness();
        using var rtt = new MetricCollector<double>(h.Instruments.ConnectionRtt);

        h.Monitor.OnRttSample(new("c1", "p", TimeSpan.FromMilliseconds(12.5)));
        h.Monitor.OnRttSample(new("c1", "p", TimeSpan.FromMilliseconds(-1)));

        Assert.Equal([0.0125], rtt.Values());
    }

    [Fact]
    public void OnBytesTransferred_BothDirections_CountsEachWithDirection()
    {
        using var h = new MonitorHarness();
        using var bytes = new MetricCollector<long>(h.Instruments.ConnectionBytes);

        h.Monitor.OnBytesTransferred(new("c1", "p", BytesIn: 1000, BytesOut: 200));
        h.Monitor.OnBytesTransferred(new("c1", "p", BytesIn: 0, BytesOut: 300));

        Assert.Equal(1000, bytes.Sum(("direction", "in")));
        Assert.Equal(500, bytes.Sum(("direction", "out")));
        Assert.Equal(3, bytes.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public void OnStream_EachOutcome_CountsWithOutcome()
    {
        using var h = new MonitorHarness();
        using var streams = new MetricCollector<long>(h.Instruments.Streams);

        h.Monitor.OnStream(new("c1", "p", StreamOutcome.Opened, null));
        h.Monitor.OnStream(new("c1", "p", StreamOutcome.Opened, null));
        h.Monitor.OnStream(new("c1", "p", StreamOutcome.Failed, "protocol_not_supported"));
        h.Monitor.OnStream(new("c1", "p", StreamOutcome.Reset, null));

        Assert.Equal(new Dictionary<string, long> { ["opened"] = 2, ["failed"] = 1, ["reset"] = 1 }, streams.SumBy("outcome"));
    }
}

using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Monitoring;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorPerPeerTests
{
    [Fact]
    public void PerConnectionCounters_ByDefault_HaveNoPeerTag()
    {
        using var h = new MonitorHarness();
        using var attempts = new MetricCollector<long>(h.Instruments.ConnectionAttempts);
        using var bytes = new MetricCollector<long>(h.Instruments.ConnectionBytes);
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);
        using var streams = new MetricCollector<long>(h.Instruments.Streams);

        ReportOnePerConnectionEach(h.Monitor, "peer-1");

        Assert.All(
            new[] { attempts.GetMeasurementSnapshot(), bytes.GetMeasurementSnapshot(), errors.GetMeasurementSnapshot(), streams.GetMeasurementSnapshot() },
            snapshot => Assert.All(snapshot, m => Assert.False(m.Tags.ContainsKey("peer"))));
    }

    [Fact]
    public void PerConnectionCounters_PerPeerMetricsOn_TagThePeer()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = true });
        using var attempts = new MetricCollector<long>(h.Instruments.ConnectionAttempts);
        using var bytes = new MetricCollector<long>(h.Instruments.ConnectionBytes);
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);
        using var streams = new MetricCollector<long>(h.Instruments.Streams);

        ReportOnePerConnectionEach(h.Monitor, "peer-1");

        Assert.Equal(1, attempts.Sum(("outcome", "success"), ("direction", "outbound"), ("peer", "peer-1")));
        Assert.Equal(10, bytes.Sum(("direction", "in"), ("peer", "peer-1")));
        Assert.Equal(1, errors.Sum(("error.type", "timeout"), ("peer", "peer-1")));
        Assert.Equal(1, streams.Sum(("outcome", "opened"), ("peer", "peer-1")));
    }

    [Fact]
    public void PerConnectionCounters_MorePeersThanMaxPeers_TagTheRestOther()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = true, MaxPeers = 2 });
        using var streams = new MetricCollector<long>(h.Instruments.Streams);

        foreach (string peer in new[] { "p1", "p2", "p3", "p4", "p1" })
        {
            h.Monitor.OnStream(new("c", peer, StreamOutcome.Opened, null));
        }

        Assert.Equal(new Dictionary<string, long> { ["p1"] = 2, ["p2"] = 1, ["other"] = 2 }, streams.SumBy("peer"));
    }

    [Fact]
    public void NonConnectionInstruments_PerPeerMetricsOn_HaveNoPeerTag()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = true });
        using var transitions = new MetricCollector<long>(h.Instruments.ConnectionStateTransitions);
        using var messages = new MetricCollector<long>(h.Instruments.Messages);

        h.Monitor.OnConnectionStateChanged(new("c", "peer-1", ConnectionState.Connecting, ConnectionState.Connected, null));
        h.Monitor.OnMessage(new("peer-1", "ping", 1, null, Outbound: true));

        Assert.All(transitions.GetMeasurementSnapshot(), m => Assert.False(m.Tags.ContainsKey("peer")));
        Assert.All(messages.GetMeasurementSnapshot(), m => Assert.False(m.Tags.ContainsKey("peer")));
        Assert.NotEmpty(transitions.GetMeasurementSnapshot());
    }

    private static void ReportOnePerConnectionEach(MetricsConnectionMonitor monitor, string peer)
    {
        monitor.OnConnectionAttempt(new(peer, AttemptOutcome.Success, TimeSpan.Zero, null, Inbound: false));
        monitor.OnBytesTransferred(new("c", peer, BytesIn: 10, BytesOut: 0));
        monitor.OnError(new("c", peer, "timeout", "boom"));
        monitor.OnStream(new("c", peer, StreamOutcome.Opened, null));
    }
}

using System.Diagnostics.Metrics;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorAllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FrequentReports_ListenerAttachedAfterWarmUp_AllocateNothing(bool perPeerMetrics)
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = perPeerMetrics });
        long longs = 0;
        double doubles = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, h.Instruments.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => longs += value);
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => doubles += value);
        listener.Start();
        ReportFrequentKinds(h.Monitor);

        // The fewest bytes of three rounds: tiered JIT can allocate a few KB on this thread once while it swaps in
        // optimised code (seen in CI), but anything the reports themselves allocate shows in every round.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                ReportFrequentKinds(h.Monitor);
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.True(longs > 0 && doubles > 0);
    }

    // Everything but a connection reaching Connected (which remembers its connect time: one node per connection).
    private static void ReportFrequentKinds(IConnectionMonitor monitor)
    {
        monitor.OnConnectionAttempt(new("peer-1", AttemptOutcome.Success, TimeSpan.FromMilliseconds(5), null, Inbound: false));
        monitor.OnConnectionStateChanged(new(null, "peer-1", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        monitor.OnConnectionStateChanged(new(null, "peer-1", ConnectionState.Connecting, ConnectionState.Failed, "refused"));
        monitor.OnRttSample(new("c1", "peer-1", TimeSpan.FromMilliseconds(3)));
        monitor.OnBytesTransferred(new("c1", "peer-1", 100, 200));
        monitor.OnStream(new("c1", "peer-1", StreamOutcome.Opened, null));
        monitor.OnError(new("c1", "peer-1", "timeout", "ping timed out"));
        monitor.OnCircuitBreakerStateChanged(new("peer-1", CircuitState.Closed, CircuitState.Open));
        monitor.OnCircuitBreakerStateChanged(new("peer-1", CircuitState.Open, CircuitState.Closed));
        monitor.OnPeer(new("peer-1", PeerChange.Discovered, "dial"));
        monitor.OnMessage(new("peer-1", "ping", 64, TimeSpan.FromMilliseconds(2), Outbound: true));
        monitor.OnBufferedMessages(new("peer-1", 1));
        monitor.OnPoolUtilization(new("default", 1, 4));
        monitor.OnHealthStatusChanged(new("c1", "peer-1", HealthStatus.Healthy, HealthStatus.Degraded, 0.5));
    }
}

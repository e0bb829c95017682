using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Resilink.Monitoring;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorSafetyTests
{
    [Fact]
    public void EveryReport_ListenerThrows_DoesNotThrow()
    {
        using var h = new MonitorHarness();
        int calls = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, h.Instruments.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => Throw(ref calls));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Throw(ref calls));
        listener.Start();

        ScriptedReports.ReportEveryKind(h.Monitor, h.Time);

        Assert.True(calls >= ExpectedInstruments.All.Length, $"the throwing listener ran {calls} times");
    }

    [Fact]
    public void EveryReport_DefaultEvents_DoesNotThrow()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = true });
        IConnectionMonitor monitor = h.Monitor;

        monitor.OnConnectionAttempt(default);
        monitor.OnConnectionStateChanged(default);
        monitor.OnConnectionStateChanged(new(null, null!, ConnectionState.Connected, ConnectionState.Disconnected, null));
        monitor.OnRttSample(default);
        monitor.OnBytesTransferred(default);
        monitor.OnStream(default);
        monitor.OnError(default);
        monitor.OnCircuitBreakerStateChanged(default);
        monitor.OnPeer(default);
        monitor.OnPeer(new("p", (PeerChange)42, null));
        monitor.OnMessage(default);
        monitor.OnBufferedMessages(default);
        monitor.OnPoolUtilization(default);
        monitor.OnHealthStatusChanged(default);
        monitor.OnConnectionAttempt(new("p", (AttemptOutcome)42, TimeSpan.Zero, null, false));
        monitor.OnReconnect(default);
        monitor.OnReconnect(new(null!, (ReconnectOutcome)42, 0));
        monitor.OnConnectionReplacement(default);
        monitor.OnFailoverStateChanged(default);
    }

    [Fact]
    public void Constructor_NullInstruments_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new MetricsConnectionMonitor(null!));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        using var instruments = new ResilinkInstruments();

        Assert.Throws<OptionsValidationException>(() => new MetricsConnectionMonitor(instruments, new ResilinkTelemetryOptions { MaxPeers = 0 }));
    }

    private static void Throw(ref int calls)
    {
        Interlocked.Increment(ref calls);
        throw new InvalidOperationException("a broken listener");
    }
}

using Microsoft.Extensions.Time.Testing;

namespace Resilink.Telemetry.Tests.Support;

/// <summary>A <see cref="MetricsConnectionMonitor"/> on instruments of its own (an owned meter) and a fake clock.</summary>
internal sealed class MonitorHarness : IDisposable
{
    public MonitorHarness(ResilinkTelemetryOptions? options = null)
    {
        Instruments = new ResilinkInstruments();
        Monitor = new MetricsConnectionMonitor(Instruments, options, Time);
    }

    public FakeTimeProvider Time { get; } = new();

    public ResilinkInstruments Instruments { get; }

    public MetricsConnectionMonitor Monitor { get; }

    public void Dispose() => Instruments.Dispose();
}

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Resilink.Monitoring;
using Resilink.Telemetry;

namespace Resilink.Benchmarks;

/// <summary>
/// What telemetry adds to each stream a host opens, measured without the network's noise: the
/// <c>resilink.stream.open</c> span (started, three tags, stopped) and the stream-opened report to the connection
/// monitor, with nobody listening (the host's default) and with the OpenTelemetry SDK collecting both (always-on sampler,
/// a batching exporter as OTLP uses; the Resilink meter read every second).
/// </summary>
[MemoryDiagnoser]
public class TelemetryCostBenchmarks
{
    // The host's spans come from an ActivitySource of this name; OpenTelemetry listens by name, so one of the same name
    // costs the same.
    private static readonly ActivitySource Source = new("Resilink");
    private const string PeerId = "12D3KooWEpUmhctM7AE4gJNHbR6vyP2F6pa9X7t7mBjCoz8HhNMh";
    private const string ConnectionId = "c1";

    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;
    private ResilinkInstruments? _instruments;
    private IConnectionMonitor _monitor = NullConnectionMonitor.Instance;

    /// <summary>Whether the OpenTelemetry SDK listens (on) or nobody does (off, the default of a host).</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Listening)
        {
            return;
        }
        _tracerProvider = Sdk.CreateTracerProviderBuilder().AddResilinkInstrumentation().SetSampler(new AlwaysOnSampler())
            .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter())).Build();
        _instruments = new ResilinkInstruments();
        _monitor = new MetricsConnectionMonitor(_instruments);
        _meterProvider = Sdk.CreateMeterProviderBuilder().AddResilinkInstrumentation()
            .AddReader(new PeriodicExportingMetricReader(new DroppingMetricExporter(), exportIntervalMilliseconds: 1000)).Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracerProvider?.Dispose();
        _meterProvider?.Dispose();
        _instruments?.Dispose();
    }

    /// <summary>The span around one stream open, as <c>Libp2pHost.NewStreamAsync</c> records it.</summary>
    [Benchmark]
    public void StreamOpenSpan()
    {
        using var activity = Source.StartActivity("resilink.stream.open", ActivityKind.Client);
        activity?.SetTag("resilink.peer.id", PeerId);
        activity?.SetTag("resilink.connection.id", ConnectionId);
        activity?.SetTag("resilink.protocol", "/echo/1.0.0");
    }

    /// <summary>The monitor report of one opened stream (the <c>resilink.streams</c> counter when listening).</summary>
    [Benchmark]
    public void StreamOpenedMetric() => _monitor.OnStream(new StreamEvent(ConnectionId, PeerId, StreamOutcome.Opened, null));

    private sealed class DroppingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class DroppingMetricExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}

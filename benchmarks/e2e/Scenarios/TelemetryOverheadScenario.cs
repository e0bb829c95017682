using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Resilink.E2e.Scenarios.Health;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Telemetry;

namespace Resilink.E2e.Scenarios;

/// <summary>
/// What metrics and traces cost: one-stream throughput and echo request latency with telemetry off (no monitor, nobody
/// listening to the activity source) and on (MetricsConnectionMonitor on both hosts, the OpenTelemetry SDK collecting
/// the Resilink meter every second and recording every Resilink span, into memory), in interleaved rounds.
/// </summary>
internal static class TelemetryOverheadScenario
{
    private const int PayloadBytes = 64;

    public static async Task RunAsync(long bytes, int requests, int workers, int repeat, CancellationToken cancellationToken)
    {
        var results = new Dictionary<bool, List<(double Mibps, LatencySummary Latency)>> { [false] = [], [true] = [] };
        for (var round = 1; round <= repeat; round++)
        {
            // Alternate which variant goes first, so warm-up and drift within a round do not favour one of them.
            foreach (var on in round % 2 == 1 ? new[] { false, true } : [true, false])
            {
                var result = await RunOnceAsync(on, bytes, requests, workers, cancellationToken);
                results[on].Add(result);
                Console.WriteLine(Text($"round {round} telemetry {(on ? "on " : "off")}: {result.Mibps,7:0} MiB/s  {result.Latency}"));
            }
        }

        double Median(IEnumerable<double> values) => values.Order().ElementAt(repeat / 2);
        var offMibps = Median(results[false].Select(r => r.Mibps));
        var onMibps = Median(results[true].Select(r => r.Mibps));
        var offP50 = Median(results[false].Select(r => r.Latency.P50));
        var onP50 = Median(results[true].Select(r => r.Latency.P50));
        var offP99 = Median(results[false].Select(r => r.Latency.P99));
        var onP99 = Median(results[true].Select(r => r.Latency.P99));
        Console.WriteLine();
        Console.WriteLine(Text($"medians of {repeat}: throughput off {offMibps:0} / on {onMibps:0} MiB/s ({(onMibps / offMibps) - 1:+0.0%;-0.0%})"));
        Console.WriteLine(Text($"request p50 off {offP50:0.000} / on {onP50:0.000} ms ({(onP50 / offP50) - 1:+0.0%;-0.0%}), p99 off {offP99:0.000} / on {onP99:0.000} ms ({(onP99 / offP99) - 1:+0.0%;-0.0%}); target: within 5 %"));
    }

    private static async Task<(double Mibps, LatencySummary Latency)> RunOnceAsync(
        bool telemetry, long bytes, int requests, int workers, CancellationToken cancellationToken)
    {
        using var instruments = telemetry ? new ResilinkInstruments() : null;
        IConnectionMonitor? monitor = instruments is null ? null : new MetricsConnectionMonitor(instruments);
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        using var meterProvider = telemetry
            ? Sdk.CreateMeterProviderBuilder().AddResilinkInstrumentation()
                .AddInMemoryExporter(metrics, o => o.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1000).Build()
            : null;
        using var tracerProvider = telemetry
            ? Sdk.CreateTracerProviderBuilder().AddResilinkInstrumentation().SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans).Build()
            : null;

        await using var server = new Libp2pHost(connectionMonitor: monitor);
        await using var client = new Libp2pHost(connectionMonitor: monitor);
        SinkProtocol.Register(server);
        await server.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        await client.DialAsync(server.ListenAddresses[0].Encapsulate("/p2p/" + server.PeerId), cancellationToken);
        var mibps = await ResilinkScenarios.MeasureUploadAsync(client, server.PeerId, bytes, cancellationToken);
        await RunRequestsAsync(client, server.PeerId, Math.Max(1, requests / 10), workers, cancellationToken); // warm-up
        var latency = LatencySummary.Of(await RunRequestsAsync(client, server.PeerId, requests, workers, cancellationToken));
        if (telemetry && spans.Count == 0)
        {
            throw new InvalidOperationException("Telemetry on, but no span was recorded: the comparison would be meaningless.");
        }
        return (mibps, latency);
    }

    private static async Task<double[]> RunRequestsAsync(Libp2pHost client, PeerId server, int count, int workers, CancellationToken cancellationToken)
    {
        var samples = new double[count];
        var next = -1;
        async Task WorkerAsync()
        {
            var payload = new byte[PayloadBytes];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var echoed = await EchoProtocol.EchoAsync(client, server, payload, cancellationToken);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (echoed.Length != PayloadBytes)
                {
                    throw new InvalidDataException("Short echo.");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        return samples;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

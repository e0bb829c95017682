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
/// listening to the activity source), with metrics only (MetricsConnectionMonitor on both hosts, the OpenTelemetry SDK
/// collecting the Resilink meter every second), and with metrics and traces (also every Resilink span recorded and
/// handed to a batching exporter, as an OTLP exporter would get them), in interleaved rounds.
/// </summary>
internal static class TelemetryOverheadScenario
{
    private const int PayloadBytes = 64;

    // How often the SDK collects the meter: a Prometheus scrape every 15 s or OTLP's default 60 s is the usual; 10 s is
    // on the busy side of that. RESILINK_BENCH_EXPORT_MS overrides it (1000 shows what collecting every second costs).
    private static readonly int MetricsExportIntervalMs =
        int.TryParse(Environment.GetEnvironmentVariable("RESILINK_BENCH_EXPORT_MS"), out var ms) && ms > 0 ? ms : 10_000;

    private enum Variant
    {
        Off,
        Metrics,
        MetricsAndTraces,
    }

    public static async Task RunAsync(long bytes, int requests, int workers, int repeat, CancellationToken cancellationToken)
    {
        var variants = Enum.GetValues<Variant>();
        var results = variants.ToDictionary(v => v, _ => new List<Result>());
        // One unreported round first: the first run in a process also pays for JIT tiering, whichever variant it is.
        foreach (var variant in variants)
        {
            await RunOnceAsync(variant, bytes, requests, workers, cancellationToken);
        }
        for (var round = 1; round <= repeat; round++)
        {
            // Rotate which variant goes first, so warm-up and drift within a round favour none of them.
            foreach (var variant in variants.Skip((round - 1) % variants.Length).Concat(variants.Take((round - 1) % variants.Length)))
            {
                var result = await RunOnceAsync(variant, bytes, requests, workers, cancellationToken);
                results[variant].Add(result);
                Console.WriteLine(Text($"round {round} {variant,-16}: {result.Mibps,7:0} MiB/s {result.CpuMsPerMiB,6:0.00} CPU ms/MiB  {result.CpuUsPerRequest,6:0} CPU us/request  {result.Latency}"));
            }
        }

        double Median(IEnumerable<double> values) => values.Order().ElementAt(repeat / 2);
        Console.WriteLine();
        Console.WriteLine(Text($"medians of {repeat} rounds; target: within 5 % of off. CPU = the process's CPU time (both hosts) per MiB uploaded and per request, which another process's load hardly moves"));
        var off = Summarise(results[Variant.Off]);
        Console.WriteLine(Text($"{"Off",-16}: {off.Mibps,5:0} MiB/s, {off.CpuMsPerMiB:0.00} CPU ms/MiB, p50 {off.Latency.P50:0.000} ms, p99 {off.Latency.P99:0.000} ms, {off.CpuUsPerRequest:0} CPU us/request"));
        foreach (var variant in variants.Skip(1))
        {
            var on = Summarise(results[variant]);
            Console.WriteLine(
                Text($"{variant,-16}: {on.Mibps,5:0} MiB/s ({Change(on.Mibps, off.Mibps)}), {on.CpuMsPerMiB:0.00} CPU ms/MiB ({Change(on.CpuMsPerMiB, off.CpuMsPerMiB)}), ") +
                Text($"p50 {on.Latency.P50:0.000} ms ({Change(on.Latency.P50, off.Latency.P50)}), p99 {on.Latency.P99:0.000} ms ({Change(on.Latency.P99, off.Latency.P99)}), ") +
                Text($"{on.CpuUsPerRequest:0} CPU us/request ({Change(on.CpuUsPerRequest, off.CpuUsPerRequest)})"));
        }

        // Paired: the same round's variants ran back to back, so their ratio cancels the machine's drift between rounds.
        Console.WriteLine();
        Console.WriteLine(Text($"paired: median over the {repeat} rounds of (variant / off of the same round) - 1; noise = half the spread (max-min)/median of off's own rounds"));
        Console.WriteLine(Text($"{"noise",-16}: throughput ±{Noise(r => r.Mibps):0.0%}, CPU/MiB ±{Noise(r => r.CpuMsPerMiB):0.0%}, p50 ±{Noise(r => r.Latency.P50):0.0%}, p99 ±{Noise(r => r.Latency.P99):0.0%}, CPU/request ±{Noise(r => r.CpuUsPerRequest):0.0%}"));
        foreach (var variant in variants.Skip(1))
        {
            Console.WriteLine(Text(
                $"{variant,-16}: throughput {Paired(variant, r => r.Mibps)}, CPU/MiB {Paired(variant, r => r.CpuMsPerMiB)}, p50 {Paired(variant, r => r.Latency.P50)}, p99 {Paired(variant, r => r.Latency.P99)}, CPU/request {Paired(variant, r => r.CpuUsPerRequest)}"));
        }

        string Paired(Variant variant, Func<Result, double> figure) =>
            Text($"{Median(results[variant].Zip(results[Variant.Off], (on, o) => (figure(on) / figure(o)) - 1)):+0.0%;-0.0%}");
        double Noise(Func<Result, double> figure)
        {
            var values = results[Variant.Off].Select(figure).ToList();
            return (values.Max() - values.Min()) / 2 / Median(values);
        }

        Result Summarise(List<Result> rounds) => new(
            Median(rounds.Select(r => r.Mibps)),
            Median(rounds.Select(r => r.CpuMsPerMiB)),
            new LatencySummary(rounds[0].Latency.Count, Median(rounds.Select(r => r.Latency.P50)), Median(rounds.Select(r => r.Latency.P99)),
                Median(rounds.Select(r => r.Latency.P999)), Median(rounds.Select(r => r.Latency.Max))),
            Median(rounds.Select(r => r.CpuUsPerRequest)));
        static string Change(double on, double off) => Text($"{(on / off) - 1:+0.0%;-0.0%}");
    }

    private sealed record Result(double Mibps, double CpuMsPerMiB, LatencySummary Latency, double CpuUsPerRequest);

    private static async Task<Result> RunOnceAsync(
        Variant variant, long bytes, int requests, int workers, CancellationToken cancellationToken)
    {
        using var instruments = variant == Variant.Off ? null : new ResilinkInstruments();
        IConnectionMonitor? monitor = instruments is null ? null : new MetricsConnectionMonitor(instruments);
        var metrics = new List<Metric>();
        using var meterProvider = instruments is null
            ? null
            : Sdk.CreateMeterProviderBuilder().AddResilinkInstrumentation()
                .AddInMemoryExporter(metrics, o => o.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = MetricsExportIntervalMs).Build();
        var spans = new CountingExporter();
        using var tracerProvider = variant == Variant.MetricsAndTraces
            ? Sdk.CreateTracerProviderBuilder().AddResilinkInstrumentation().SetSampler(new AlwaysOnSampler())
                .AddProcessor(new BatchActivityExportProcessor(spans)).Build()
            : null;

        await using var server = new Libp2pHost(connectionMonitor: monitor);
        await using var client = new Libp2pHost(connectionMonitor: monitor);
        SinkProtocol.Register(server);
        await server.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        await client.DialAsync(server.ListenAddresses[0].Encapsulate("/p2p/" + server.PeerId), cancellationToken);
        var cpu = CpuTime();
        var mibps = await ResilinkScenarios.MeasureUploadAsync(client, server.PeerId, bytes, cancellationToken);
        var cpuMsPerMiB = (CpuTime() - cpu).TotalMilliseconds / (bytes / (1024.0 * 1024.0)); // the warm-up upload included, in every variant alike
        await RunRequestsAsync(client, server.PeerId, Math.Max(1, requests / 10), workers, cancellationToken); // warm-up
        cpu = CpuTime();
        var latency = LatencySummary.Of(await RunRequestsAsync(client, server.PeerId, requests, workers, cancellationToken));
        var cpuUsPerRequest = (CpuTime() - cpu).TotalMicroseconds / requests;
        tracerProvider?.ForceFlush();
        meterProvider?.ForceFlush();
        if (tracerProvider is not null && spans.Exported == 0)
        {
            throw new InvalidOperationException("Traces on, but no span was exported: the comparison would be meaningless.");
        }
        if (meterProvider is not null && metrics.Count == 0)
        {
            throw new InvalidOperationException("Metrics on, but nothing was collected: the comparison would be meaningless.");
        }
        return new Result(mibps, cpuMsPerMiB, latency, cpuUsPerRequest);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Counts the spans it is handed and drops them: the export without a network or a growing list.</summary>
    private sealed class CountingExporter : BaseExporter<Activity>
    {
        private long _exported;

        public long Exported => Interlocked.Read(ref _exported);

        public override ExportResult Export(in Batch<Activity> batch)
        {
            Interlocked.Add(ref _exported, batch.Count);
            return ExportResult.Success;
        }
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

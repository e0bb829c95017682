using System.Diagnostics;
using System.Globalization;
using Resilink.Balancing;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;

namespace Resilink.E2e.Scenarios.Health;

/// <summary>
/// (h1) Tail latency of small echo requests when one of three connections is degraded. Host a has three connections
/// to host b, the first through a <see cref="FaultInjectingProxy"/>; workers send 64-byte <c>/echo/1.0.0</c> requests
/// (new stream, negotiate, write, half-close, read the echo and EOF), each timed end to end. Every strategy runs twice
/// on a fresh pair of hosts: all healthy (the proxy injects nothing), then degraded (the proxy adds
/// <see cref="OneWayDelay"/> in each direction, set once the connections are up). The baseline is round robin over three
/// direct connections, run before and after the others. Health monitoring is on in every run.
/// </summary>
internal static class TailLatencyScenario
{
    /// <summary>Added by the proxy in each direction: 100 ms each way, so +200 ms on every round trip.</summary>
    public static readonly TimeSpan OneWayDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Warm-up runs at least this long (three check rounds: every connection pinged since the fault) ...</summary>
    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(3);

    private const int PayloadBytes = 64;

    private static readonly LoadBalancingStrategyKind[] Strategies =
    [
        LoadBalancingStrategyKind.RoundRobin,
        LoadBalancingStrategyKind.LeastLoaded,
        LoadBalancingStrategyKind.LatencyBased,
        LoadBalancingStrategyKind.HealthBased,
        LoadBalancingStrategyKind.PowerOfTwoChoices,
    ];

    /// <summary>The monitoring of host a in every run (HealthBased needs scores; the others get the same pings, for equal conditions).</summary>
    public static HealthOptions Monitoring() => new()
    {
        EnableHealthMonitoring = true,
        HealthCheckInterval = TimeSpan.FromSeconds(1),
        PingTimeout = TimeSpan.FromSeconds(2),
    };

    public static async Task RunAsync(int requests, int workers, string? plotPath, CancellationToken cancellationToken)
    {
        var monitoring = Monitoring();
        var warmupRequests = Math.Max(200, requests / 10);
        Console.WriteLine(Text($"(h1) Tail latency: {requests} echo requests of {PayloadBytes} B per run, {workers} concurrent workers; 3 connections a->b, the first through the chaos proxy."));
        Console.WriteLine(Text($"     Degraded: +{OneWayDelay.TotalMilliseconds:0} ms each way on the proxied connection = +{2 * OneWayDelay.TotalMilliseconds:0} ms RTT (a request on it takes ~2 RTT: negotiate, echo)."));
        Console.WriteLine(Text($"     Health monitoring ON for every strategy and the baseline: interval {monitoring.HealthCheckInterval.TotalSeconds:0} s, ping timeout {monitoring.PingTimeout.TotalSeconds:0} s, other options default."));
        Console.WriteLine(Text($"     Warm-up per run: at least {warmupRequests} requests and {MinWarmup.TotalSeconds:0} s after the fault, not measured. Baseline: RoundRobin (the default) over three direct connections, no proxy, no fault."));

        // The first run of the process pays for JIT tiering of the whole stack; it would skew whichever run came first.
        var jit = await RunOneAsync(LoadBalancingStrategyKind.RoundRobin, Setup.Direct, Math.Min(requests, 5_000), workers, warmupRequests, cancellationToken);
        Console.WriteLine(Text($"     (process warm-up run, not reported: RoundRobin direct {jit})"));

        // The baseline: no fault and no proxy (its user-space hop costs CPU too), run first and last; the lower p99 counts.
        var first = await RunOneAsync(LoadBalancingStrategyKind.RoundRobin, Setup.Direct, requests, workers, warmupRequests, cancellationToken);
        Console.WriteLine(Text($"     {"baseline (first)",-18} direct    {first}"));
        var healthy = new Dictionary<LoadBalancingStrategyKind, Result>();
        var degraded = new Dictionary<LoadBalancingStrategyKind, Result>();
        foreach (var strategy in Strategies)
        {
            healthy[strategy] = await RunOneAsync(strategy, Setup.ProxyHealthy, requests, workers, warmupRequests, cancellationToken);
            Console.WriteLine(Text($"     {strategy,-18} healthy   {healthy[strategy]}"));
            degraded[strategy] = await RunOneAsync(strategy, Setup.ProxyDegraded, requests, workers, warmupRequests, cancellationToken);
            Console.WriteLine(Text($"     {strategy,-18} degraded  {degraded[strategy]}"));
        }

        var last = await RunOneAsync(LoadBalancingStrategyKind.RoundRobin, Setup.Direct, requests, workers, warmupRequests, cancellationToken);
        Console.WriteLine(Text($"     {"baseline (last)",-18} direct    {last}"));

        var baseline = first.Latency.P99 <= last.Latency.P99 ? first.Latency : last.Latency;
        Console.WriteLine();
        Console.WriteLine(Text($"(h1) Baseline (RoundRobin, three direct healthy connections, the run with the lower p99): {baseline}"));
        Console.WriteLine("     strategy            degraded: p50 / p99 / p999 ms      p99 / baseline p99   healthy (proxy, no fault) p99 ms   degraded p99 / healthy p99   via slow");
        foreach (var strategy in Strategies)
        {
            var d = degraded[strategy];
            var h = healthy[strategy];
            Console.WriteLine(Text(
                $"     {strategy,-18}  {d.Latency.P50,8:0.000} / {d.Latency.P99,8:0.000} / {d.Latency.P999,8:0.000}    {d.Latency.P99 / baseline.P99,8:0.00}x            {h.Latency.P99,8:0.000}                    {d.Latency.P99 / h.Latency.P99,8:0.00}x           {d.ViaProxyShare,6:0.00%}"));
        }

        var best = Strategies.MinBy(s => degraded[s].Latency.P99);
        Console.WriteLine(Text($"     best: {best}, p99 {degraded[best].Latency.P99 / baseline.P99:0.00}x baseline (target <= 1.5x)"));
        if (plotPath is not null)
        {
            StrategyLatencyPlot.Save(
                plotPath, baseline, [.. Strategies.Select(s => (s, degraded[s].Latency))],
                Text($"{requests} requests of {PayloadBytes} B per strategy, {workers} workers, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores"));
            Console.WriteLine($"     plot: {Path.GetFullPath(plotPath)}");
        }
    }

    private enum Setup
    {
        /// <summary>Three direct connections.</summary>
        Direct,

        /// <summary>The first connection through the proxy, which injects nothing.</summary>
        ProxyHealthy,

        /// <summary>The first connection through the proxy, which adds <see cref="OneWayDelay"/> each way.</summary>
        ProxyDegraded,
    }

    private static async Task<Result> RunOneAsync(
        LoadBalancingStrategyKind strategy, Setup setup, int requests, int workers, int warmupRequests, CancellationToken cancellationToken)
    {
        await using var b = new Libp2pHost(new Libp2pHostOptions { IdentifyOnConnect = false });
        await b.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
        await using var proxy = await FaultInjectingProxy.StartAsync(b.ListenAddresses[0], ct: cancellationToken);
        await using var a = new Libp2pHost(new Libp2pHostOptions
        {
            Health = Monitoring(),
            Connections = { LoadBalancingStrategy = strategy },
            IdentifyOnConnect = false, // known addresses: exactly the ones dialed, so a replacement (if any) dials the proxy again
        });
        var direct = b.ListenAddresses[0].Encapsulate("/p2p/" + b.PeerId);
        await a.DialAsync(setup == Setup.Direct ? direct : proxy.ListenAddress.Encapsulate("/p2p/" + b.PeerId), cancellationToken);
        await a.DialAsync(direct, cancellationToken);
        await a.DialAsync(direct, cancellationToken);
        if (setup == Setup.ProxyDegraded)
        {
            proxy.SetDefaults(new FaultProfile { Latency = OneWayDelay });
        }

        var proxyPort = proxy.ListenEndPoint.Port;
        var warmup = Stopwatch.StartNew();
        var warmed = 0;
        while (warmed < warmupRequests || warmup.Elapsed < MinWarmup || !AllPinged(a, b.PeerId))
        {
            var batch = Math.Min(Math.Max(workers * 4, 100), warmupRequests);
            await RunRequestsAsync(a, b.PeerId, proxyPort, batch, workers, cancellationToken);
            warmed += batch;
        }

        var watch = Stopwatch.StartNew();
        var (samples, viaProxy) = await RunRequestsAsync(a, b.PeerId, proxyPort, requests, workers, cancellationToken);
        watch.Stop();
        return new Result(LatencySummary.Of(samples), (double)viaProxy / requests, requests / watch.Elapsed.TotalSeconds);
    }

    /// <summary>Every connection of a to b has a health status from at least one ping.</summary>
    private static bool AllPinged(Libp2pHost a, PeerId b) =>
        a.GetConnections(b).All(c => a.HealthMonitor!.Find(c) is { Status: not HealthStatus.Unknown });

    private static async Task<(double[] Samples, int ViaProxy)> RunRequestsAsync(
        Libp2pHost a, PeerId b, int proxyPort, int count, int workers, CancellationToken cancellationToken)
    {
        var samples = new double[count];
        var next = -1;
        var viaProxy = 0;
        async Task WorkerAsync()
        {
            var payload = new byte[PayloadBytes];
            var echo = new byte[PayloadBytes];
            var extra = new byte[1];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await using var stream = await a.NewStreamAsync(b, EchoProtocol.ProtocolId, cancellationToken);
                await stream.WriteAsync(payload, cancellationToken);
                await stream.CloseWriteAsync(cancellationToken);
                await stream.ReadExactlyAsync(echo, cancellationToken);
                if (await stream.ReadAsync(extra, cancellationToken) != 0)
                {
                    throw new InvalidDataException("The echo sent more than it was sent.");
                }
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (stream.Connection.RemoteAddress.TryGetTcpEndPoint(out var endPoint) && endPoint is System.Net.IPEndPoint { Port: var port } && port == proxyPort)
                {
                    Interlocked.Increment(ref viaProxy);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        return (samples, viaProxy);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Result(LatencySummary Latency, double ViaProxyShare, double RequestsPerSecond)
    {
        public override string ToString() => Text($"{Latency}  {RequestsPerSecond,7:0} req/s  via slow {ViaProxyShare,6:0.00%}");
    }
}

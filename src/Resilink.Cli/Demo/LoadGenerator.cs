using Resilink.Balancing;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Swarm;

namespace Resilink.Cli.Demo;

/// <summary>
/// The demo's request/response load: every host sends small <c>/echo/1.0.0</c> requests to every other host, paced so
/// the whole swarm makes about <see cref="RequestsPerSecond"/> requests a second whatever its size (one worker per
/// ordered pair, one request at a time each). Each request is timed end to end and attributed to the sender's strategy
/// and to the connection it ran on (<see cref="RequestStats"/>).
/// </summary>
/// <remarks>
/// A failed request counts as "on a faulted connection" when the connection its stream ran on carried a fault at any
/// time during the request, or when any connection of that pair of hosts carried a fault between the request's start
/// and the moment its stream opened (the whole request when no stream opened): opening a stream may first spend its
/// negotiation timeout on a black-holed connection and only then fail over to a healthy one, and the time lost there
/// is the fault's, not the healthy connection's. With three connections a pair, a failure while none was faulted is a
/// real failure.
/// </remarks>
internal sealed class LoadGenerator(DemoSwarm swarm, DemoClock clock)
{
    /// <summary>Requests a second over the whole swarm.</summary>
    public const double RequestsPerSecond = 200;

    /// <summary>Bytes sent (and echoed) per request.</summary>
    public const int PayloadBytes = 64;

    /// <summary>
    /// A request taking longer fails. Above two stream negotiation timeouts (2 s each), so a request whose first pick was
    /// a black-holed connection can still fail over to another one.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The outcome of every request so far.</summary>
    public RequestStats Stats { get; } = new();

    /// <summary>
    /// Sends requests until <paramref name="stop"/> is cancelled, then waits for the ones in flight. Requests cut short by
    /// <paramref name="abort"/> (Ctrl+C) are not counted.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        var hosts = swarm.Hosts;
        var workers = new List<Task>();
        var interval = TimeSpan.FromSeconds(hosts.Count * (hosts.Count - 1) / RequestsPerSecond);
        foreach (var from in hosts)
        {
            foreach (var to in hosts)
            {
                if (from.Index != to.Index)
                {
                    workers.Add(WorkerAsync(from, to, interval, stop, abort));
                }
            }
        }
        await Task.WhenAll(workers);
    }

    private async Task WorkerAsync(DemoHost from, DemoHost to, TimeSpan interval, CancellationToken stop, CancellationToken abort)
    {
        var strategy = swarm.Settings.StrategyOf(from.Index);
        using var timer = new PeriodicTimer(interval);
        try
        {
            // Workers start spread over one interval, not all at once.
            await Task.Delay(interval * Random.Shared.NextDouble(), stop);
            do
            {
                await RequestAsync(from, to, strategy, abort);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The load is over.
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // Ctrl+C: a stream cut short may end in any exception (IOException, ObjectDisposedException…), none of them
            // a result; the run ends with the partial summary.
        }
    }

    private async Task RequestAsync(DemoHost from, DemoHost to, LoadBalancingStrategyKind strategy, CancellationToken abort)
    {
        var started = clock.Now;
        Libp2pConnection? used = null;
        TimeSpan? opened = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(abort);
        deadline.CancelAfter(RequestTimeout);
        try
        {
            used = await EchoOnceAsync(from.Host, to.Host.PeerId, c => (used, opened) = (c, clock.Now), deadline.Token);
            Stats.Succeeded(strategy, clock.Now - started);
        }
        catch (Exception ex) when (!abort.IsCancellationRequested && ex is IOException or TimeoutException or OperationCanceledException or InvalidDataException or ObjectDisposedException)
        {
            var ended = clock.Now;
            var link = used is null ? null : swarm.Find(used);
            var faulted = IsOnFaultedConnection(link, swarm.LinksBetween(from.Index, to.Index), started, opened, ended);
            var what = ex is OperationCanceledException ? $"no echo within {RequestTimeout.TotalSeconds:0} s" : ex.Message;
            Stats.Failed(strategy, faulted, $"{from.Name}->{to.Name} on {link?.Name ?? used?.Id ?? "no stream"} at {ended.TotalSeconds:0.0}s: {what}");
        }
    }

    /// <summary>
    /// Whether a request that failed at <paramref name="ended"/> is blamed on a fault (see the remarks of
    /// <see cref="LoadGenerator"/>): its own connection was faulted at any time during it, or any connection of the pair
    /// was faulted before its stream <paramref name="opened"/> (null: no stream opened, so the whole request).
    /// </summary>
    internal static bool IsOnFaultedConnection(DemoLink? link, IEnumerable<DemoLink> pairLinks, TimeSpan started, TimeSpan? opened, TimeSpan ended) =>
        link?.WasFaultedDuring(started, ended) == true || pairLinks.Any(l => l.WasFaultedDuring(started, opened ?? ended));

    private static async Task<Libp2pConnection> EchoOnceAsync(
        Net.Host.Libp2pHost host, PeerId peer, Action<Libp2pConnection> onStream, CancellationToken cancellationToken)
    {
        var payload = new byte[PayloadBytes];
        var echo = new byte[PayloadBytes];
        await using var stream = await host.NewStreamAsync(peer, EchoProtocol.ProtocolId, cancellationToken);
        onStream(stream.Connection);
        await stream.WriteAsync(payload, cancellationToken);
        await stream.CloseWriteAsync(cancellationToken);
        await stream.ReadExactlyAsync(echo, cancellationToken);
        if (await stream.ReadAsync(new byte[1], cancellationToken) != 0)
        {
            throw new InvalidDataException("The echo sent more than it was sent.");
        }
        return stream.Connection;
    }
}

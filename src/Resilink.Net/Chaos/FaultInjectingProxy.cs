using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Net.Addressing;

namespace Resilink.Net.Chaos;

/// <summary>
/// An in-process TCP proxy that injects latency, jitter, bandwidth limits, chunk drops, black holes and resets
/// between its clients and one target, for machines without netem. Each accepted connection is forwarded to the
/// target by two pumps and can be given its own <see cref="FaultProfile"/> through <see cref="Connections"/>.
/// </summary>
/// <remarks>
/// The proxy reads eagerly into a bounded per-direction queue (up to 64 chunks of 16 KiB), so a sender's writes
/// complete before its data is delivered; backpressure reaches the sender only once that queue is full. With added
/// latency this caps throughput per direction at about 1 MiB per latency period, much as a TCP window would.
/// All timing uses the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _target;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly Lock _randomGate = new();
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private readonly List<ProxiedConnection> _connections = [];
    private FaultProfile _defaults;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;
    private int _disposed;

    private FaultInjectingProxy(Socket listener, EndPoint target, FaultProfile defaults, TimeProvider time, Func<double> random, ILogger logger)
    {
        _listener = listener;
        _target = target;
        _defaults = defaults with { };
        _time = time;
        _random = random;
        _logger = logger;
        ListenEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        ListenAddress = Multiaddr.FromEndPoint(ListenEndPoint);
    }

    /// <summary>The bound listening endpoint (with the actual port when port 0 was requested).</summary>
    public IPEndPoint ListenEndPoint { get; }

    /// <summary><see cref="ListenEndPoint"/> as <c>/ip4|ip6/…/tcp/…</c>.</summary>
    public Multiaddr ListenAddress { get; }

    /// <summary>The endpoint every accepted connection is forwarded to.</summary>
    public EndPoint Target => _target;

    /// <summary>A copy of the profile new connections start with.</summary>
    public FaultProfile Defaults
    {
        get
        {
            lock (_gate)
            {
                return _defaults with { };
            }
        }
    }

    /// <summary>A snapshot of the connections that are open (or still dialing the target), oldest first.</summary>
    public IReadOnlyList<ProxiedConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>
    /// Starts a proxy forwarding to <paramref name="target"/> (an <see cref="IPEndPoint"/> or a
    /// <see cref="DnsEndPoint"/>, resolved on each dial).
    /// </summary>
    /// <param name="target">Where accepted connections are forwarded.</param>
    /// <param name="defaults">Faults for new connections; default none.</param>
    /// <param name="listen">Local endpoint to listen on; default 127.0.0.1:0.</param>
    /// <param name="timeProvider">Clock for every delay and deadline; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger; default none.</param>
    /// <param name="random">
    /// Source of uniform values in [0, 1) for jitter and drops; default <see cref="Random.Shared"/>. Calls are
    /// serialised, so a seeded <see cref="Random"/> is safe; with several busy connections the order in which
    /// they draw values is up to the scheduler.
    /// </param>
    /// <param name="ct">Cancels the start.</param>
    public static Task<FaultInjectingProxy> StartAsync(
        EndPoint target,
        FaultProfile? defaults = null,
        IPEndPoint? listen = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        Func<double>? random = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not (IPEndPoint or DnsEndPoint))
        {
            throw new ArgumentException("The target must be an IPEndPoint or a DnsEndPoint.", nameof(target));
        }
        ct.ThrowIfCancellationRequested();
        listen ??= new IPEndPoint(IPAddress.Loopback, 0);
        var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(listen);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var proxy = new FaultInjectingProxy(
            socket, target, defaults ?? new FaultProfile(), timeProvider ?? TimeProvider.System,
            random ?? Random.Shared.NextDouble, logger ?? NullLogger.Instance);
        ChaosLog.Started(proxy._logger, proxy.ListenEndPoint, target);
        proxy._acceptLoop = proxy.AcceptLoopAsync();
        return Task.FromResult(proxy);
    }

    /// <summary>Starts a proxy forwarding to a <c>/ip4|ip6|dns|dns4|dns6/…/tcp/…</c> address (a trailing <c>/p2p/…</c> is ignored).</summary>
    /// <inheritdoc cref="StartAsync(EndPoint, FaultProfile?, IPEndPoint?, TimeProvider?, ILogger?, Func{double}?, CancellationToken)"/>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a TCP address.</exception>
    public static Task<FaultInjectingProxy> StartAsync(
        Multiaddr target,
        FaultProfile? defaults = null,
        IPEndPoint? listen = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        Func<double>? random = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.TryGetTcpEndPoint(out var endPoint))
        {
            throw new ArgumentException($"'{target}' is not a TCP address.", nameof(target));
        }
        return StartAsync(endPoint, defaults, listen, timeProvider, logger, random, ct);
    }

    /// <summary>Sets the profile for new connections and applies it to every open connection.</summary>
    /// <param name="defaults">The profile; a copy is stored.</param>
    public void SetDefaults(FaultProfile defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ProxiedConnection[] open;
        lock (_gate)
        {
            _defaults = defaults with { };
            open = [.. _connections];
        }
        foreach (var connection in open)
        {
            connection.Faults = defaults;
        }
    }

    /// <summary>
    /// Turns on <see cref="FaultProfile.BlackHole"/> for every open connection (keeping their other faults) and for
    /// new connections.
    /// </summary>
    public void BlackHoleAll()
    {
        ProxiedConnection[] open;
        lock (_gate)
        {
            _defaults = _defaults with { BlackHole = true };
            open = [.. _connections];
        }
        foreach (var connection in open)
        {
            connection.Update(static f => f with { BlackHole = true });
        }
    }

    /// <summary>Resets (RST on both sides) every open connection. New connections are still accepted.</summary>
    public void ResetAll()
    {
        foreach (var connection in Connections)
        {
            connection.Reset();
        }
    }

    /// <summary>Stops listening and resets every connection, then waits for their pumps to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        ProxiedConnection[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }
        foreach (var connection in open)
        {
            connection.Reset("Proxy disposed");
        }
        await Task.WhenAll(open.Select(c => c.Closed)).ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private double NextRandom()
    {
        lock (_randomGate)
        {
            return _random();
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _lifetime.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }
                ChaosLog.AcceptFailed(_logger, ex);
                continue;
            }

            ProxiedConnection connection;
            try
            {
                lock (_gate)
                {
                    if (token.IsCancellationRequested)
                    {
                        ResetAccepted(client);
                        return;
                    }
                    connection = new ProxiedConnection(
                        Interlocked.Increment(ref _nextId), client, _target, _defaults, _time, NextRandom, _logger, Remove);
                    _connections.Add(connection);
                }
            }
            catch (SocketException ex)
            {
                // The client went away between accept and set-up (its endpoint or options are no longer readable).
                ChaosLog.AcceptFailed(_logger, ex);
                ResetAccepted(client);
                continue;
            }
            _ = connection.RunAsync();
        }
    }

    private void Remove(ProxiedConnection connection)
    {
        lock (_gate)
        {
            _ = _connections.Remove(connection);
        }
    }

    private static void ResetAccepted(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        client.Dispose();
    }
}

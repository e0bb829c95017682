using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Resilink.Balancing;
using Polly;
using Resilink.Connections;
using Resilink.Resilience;
using Resilink.Health;
using Resilink.Monitoring;
using System.Diagnostics;
using Resilink.Net.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Protocols.Ping;
using Resilink.Net.Swarm;
using Resilink.Net.Threading;
using Resilink.Net.Transport;

namespace Resilink.Net.Host;

/// <summary>
/// A libp2p node: listens and dials over TCP, secures connections with Noise, multiplexes them with Yamux,
/// serves ping, identify and echo, and routes inbound streams to the handlers you register.
/// </summary>
/// <example>
/// <code>
/// await using var host = new Libp2pHost();
/// await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
/// var connection = await host.DialAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."));
/// var rtt = await host.PingAsync(connection.RemotePeer);
/// </code>
/// </example>
public sealed partial class Libp2pHost : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Libp2pHostOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TcpTransport _transport;
    private readonly ConnectionUpgrader _upgrader;
    private readonly ConnectionTable _connections = new();
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PeerId, ImmutableArray<Multiaddr>> _knownAddresses = new();
    private readonly List<ITransportListener> _listeners = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly BackgroundTasks _background;
    private readonly SemaphoreSlim _upgradeSlots;
    private readonly ILoadBalancingStrategy _strategy;
    private readonly ResiliencePipeline _retry;
    private readonly bool _ownsIdentity;
    private int _inboundConnections;
    private int _disposed;

    /// <summary>Creates a host; call <see cref="StartAsync"/> to listen. Dialing works without listening.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="loggerFactory">Where logs go; null for none.</param>
    /// <param name="timeProvider">Clock for every timeout and RTT; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="connectionMonitor">Where attempts, state changes, streams, errors, bytes and peers are reported; null for none.</param>
    public Libp2pHost(
        Libp2pHostOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IConnectionMonitor? connectionMonitor = null)
    {
        _options = options ?? new Libp2pHostOptions();
        _options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<Libp2pHost>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ownsIdentity = _options.Identity is null;
        Identity = _options.Identity ?? KeyPair.GenerateEd25519();
        PeerId = Identity.PeerId;
        _transport = new TcpTransport(new TcpTransportOptions { ConnectTimeout = _options.Connections.ConnectionTimeout }, _timeProvider);
        _upgrader = new ConnectionUpgrader(Identity, _options.Yamux, _options.StreamNegotiationTimeout, loggerFactory, _timeProvider);
        _background = new BackgroundTasks(_logger);
        _upgradeSlots = new SemaphoreSlim(_options.MaxConcurrentInboundUpgrades);
        _strategy = LoadBalancingStrategies.Create(_options.Connections.LoadBalancingStrategy, _timeProvider);
        _retry = RetryPipelineFactory.Create(_options.Connections.Retry, _timeProvider, logger: _logger);
        ConnectionMonitor = connectionMonitor ?? NullConnectionMonitor.Instance;
        _reconnector = CreateReconnector(loggerFactory); // reports to ConnectionMonitor
        if (ConnectionMonitor is not NullConnectionMonitor)
        {
            _background.Run("report bytes", ReportBytesLoopAsync);
        }
        if (_options.CircuitBreaker.Enabled)
        {
            CircuitBreakers = new CircuitBreakerRegistry(
                _options.CircuitBreaker, _timeProvider, ConnectionMonitor, loggerFactory.CreateLogger<CircuitBreakerRegistry>());
            CircuitBreakers.StateChanged += OnCircuitStateChanged;
        }
        if (_options.Health.EnableHealthMonitoring)
        {
            HealthMonitor = new HealthMonitor(_options.Health, _timeProvider, loggerFactory.CreateLogger<HealthMonitor>(), ConnectionMonitor);
            HealthMonitor.StatusChanged += OnHealthStatusChanged;
            HealthMonitor.Start();
        }

        _handlers[PingProtocol.ProtocolId] = (stream, ct) => PingProtocol.RespondAsync(stream, ct);
        _handlers[IdentifyProtocol.ProtocolId] = (stream, ct) => IdentifyProtocol.RespondAsync(stream, Identity, DescribeSelf(), ct);
        if (_options.EnableEcho)
        {
            _handlers[EchoProtocol.ProtocolId] = EchoProtocol.RespondAsync;
        }
    }

    /// <summary>Raised when a connection has finished its upgrade and is ready for streams.</summary>
    public event EventHandler<Libp2pConnectionEventArgs>? ConnectionOpened;

    /// <summary>Raised when a connection has closed and left <see cref="GetConnections"/>.</summary>
    public event EventHandler<Libp2pConnectionEventArgs>? ConnectionClosed;

    /// <summary>This host's identity key pair.</summary>
    public KeyPair Identity { get; }

    /// <summary>This host's peer ID.</summary>
    public PeerId PeerId { get; }

    /// <summary>The addresses actually bound (a requested port 0 is replaced by the real one), without <c>/p2p</c>.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses
    {
        get
        {
            lock (_listeners)
            {
                return [.. _listeners.Select(l => l.LocalAddress)];
            }
        }
    }

    /// <summary>The protocols this host answers, built-in ones included.</summary>
    public IReadOnlyCollection<string> Protocols => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Peers with at least one live connection.</summary>
    public IReadOnlyCollection<PeerId> ConnectedPeers => _connections.Peers;

    /// <summary>Starts listening on each address (TCP; use port 0 for any free port).</summary>
    public async Task StartAsync(IEnumerable<Multiaddr> listenAddresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listenAddresses);
        ThrowIfDisposed();
        foreach (var address in listenAddresses)
        {
            var listener = await _transport.ListenAsync(address, cancellationToken).ConfigureAwait(false);
            lock (_listeners)
            {
                _listeners.Add(listener);
            }
            LogListening(PeerId, listener.LocalAddress);
            _background.Run($"accept {listener.LocalAddress}", () => AcceptLoopAsync(listener));
        }
    }

    /// <summary>Registers (or replaces) the handler for inbound streams of <paramref name="protocol"/>.</summary>
    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        if (!protocol.StartsWith('/'))
        {
            throw new ArgumentException($"Protocol IDs start with '/': '{protocol}'.", nameof(protocol));
        }
        _handlers[protocol] = handler;
    }

    /// <summary>Stops serving <paramref name="protocol"/>; returns false if it was not registered.</summary>
    public bool RemoveStreamHandler(string protocol) => _handlers.TryRemove(protocol, out _);

    /// <summary>
    /// Opens a stream to <paramref name="peer"/> for the first of <paramref name="protocols"/> it supports,
    /// on a live connection (dialing a known address if there is none). If opening fails on one connection,
    /// the next is tried.
    /// </summary>
    /// <exception cref="PeerNotConnectedException">No connection and no known address.</exception>
    /// <exception cref="CircuitOpenException">No connection, and the peer's circuit breaker is open: nothing was dialed.</exception>
    /// <exception cref="ProtocolNegotiationException">The peer supports none of the protocols.</exception>
    public async Task<Libp2pStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(protocols);
        ThrowIfDisposed();
        using var activity = ResilinkActivitySource.Source.StartActivity(ResilinkActivitySource.StreamOpenActivity, ActivityKind.Client);
        activity?.SetTag("resilink.peer.id", peer.ToString());
        Exception? lastError = null;
        var candidates = RoutableConnections(peer);
        while (candidates.Count > 0)
        {
            // The strategy picks; a connection that fails to open the stream drops out and the next pick is tried.
            var connection = (Libp2pConnection)_strategy.Select(candidates);
            try
            {
                var stream = await connection.NewStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("resilink.connection.id", connection.Id);
                activity?.SetTag("resilink.protocol", stream.Protocol);
                return stream;
            }
            catch (Exception ex) when (ex is IOException and not ProtocolNegotiationException || ex is ObjectDisposedException || ex is TimeoutException)
            {
                LogStreamOpenFailed(ex, connection.Id);
                lastError = ex;
                candidates = [.. candidates.Where(c => !ReferenceEquals(c, connection))];
            }
        }

        if (lastError is not null && LiveConnections(peer).Count > 0)
        {
            throw new IOException($"Could not open a stream to {peer} on any of its connections.", lastError);
        }
        var dialed = await DialKnownAddressAsync(peer, cancellationToken).ConfigureAwait(false);
        return await dialed.NewStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a stream to <paramref name="peer"/> for <paramref name="protocol"/>.</summary>
    public Task<Libp2pStream> NewStreamAsync(PeerId peer, string protocol, CancellationToken cancellationToken = default) =>
        NewStreamAsync(peer, [protocol], cancellationToken);

    /// <summary>Pings <paramref name="peer"/> once over <c>/ipfs/ping/1.0.0</c> and returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        var connection = await GetOrDialAsync(peer, cancellationToken).ConfigureAwait(false);
        var rtt = await connection.PingAsync(cancellationToken).ConfigureAwait(false);
        ConnectionMonitor.OnRttSample(new(connection.Id, connection.PeerKey, rtt));
        return rtt;
    }

    /// <summary>What <paramref name="peer"/> says about itself (from the automatic identify, or asked now).</summary>
    public async Task<IdentifyInfo> IdentifyAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        var connection = await GetOrDialAsync(peer, cancellationToken).ConfigureAwait(false);
        if (connection.Identify.IsCompletedSuccessfully)
        {
            return connection.Identify.Result;
        }
        return await IdentifyProtocol.RequestAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Live connections to <paramref name="peer"/>, or to every peer when null.</summary>
    public IReadOnlyList<Libp2pConnection> GetConnections(PeerId? peer = null) =>
        peer is null ? _connections.All() : _connections.Get(peer);

    /// <summary>Every peer with its live connections (a snapshot).</summary>
    public IReadOnlyDictionary<PeerId, IReadOnlyList<Libp2pConnection>> GetConnectionsMap() =>
        _connections.Snapshot().ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Libp2pConnection>)kv.Value);

    /// <summary>The first live connection to <paramref name="peer"/>, or null.</summary>
    public Libp2pConnection? GetConnection(PeerId peer) => _connections.Get(peer).FirstOrDefault(c => !c.IsClosed);

    /// <summary>Closes every connection to <paramref name="peer"/> gracefully.</summary>
    public async Task HangUpAsync(PeerId peer)
    {
        await Task.WhenAll(_connections.Get(peer).Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>Stops listening, closes every connection and waits (briefly) for handlers to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (HealthMonitor is not null)
        {
            await HealthMonitor.DisposeAsync().ConfigureAwait(false);
        }
        ITransportListener[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
            _listeners.Clear();
        }
        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        // In parallel: each graceful close may wait on its peer (go-away drain, TCP linger), and those waits must
        // not add up over hundreds of connections.
        await Task.WhenAll(_connections.All().Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _background.WaitAllAsync(ShutdownGrace, _timeProvider).ConfigureAwait(false);
        // _shutdown and _upgradeSlots are not disposed: a straggling upgrade that outlived the grace period may still
        // release its slot or read the token; neither holds an unmanaged resource (no wait handle is ever created).
        if (_ownsIdentity)
        {
            Identity.Dispose();
        }
    }

    private List<IHealthTracked> LiveConnections(PeerId peer)
    {
        var live = new List<IHealthTracked>();
        foreach (var connection in _connections.Get(peer))
        {
            if (!connection.IsClosed)
            {
                live.Add(connection);
            }
        }
        return live;
    }

    private void RememberAddress(PeerId peer, Multiaddr address, string source = "dial")
    {
        _knownAddresses.AddOrUpdate(peer, [address], (_, existing) => existing.Contains(address) ? existing : existing.Add(address));
        ReportDiscovered(peer, source);
    }

    /// <summary>A token that fires after <paramref name="timeout"/> on the host's clock, or at shutdown.</summary>
    private TimeoutScope StartTimeout(TimeSpan timeout) => new(timeout, _timeProvider, _shutdown.Token);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}

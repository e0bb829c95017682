using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Protocols.Ping;
using Resilink.Net.Security.Noise;
using Resilink.Net.Threading;
using Resilink.Net.Transport;

namespace Resilink.Net.Swarm;

/// <summary>
/// One live, secured, multiplexed connection to a remote peer (TCP + Noise + Yamux).
/// <see cref="Abort"/> drops it at once; <see cref="DisposeAsync"/> sends a Yamux go-away first.
/// </summary>
public sealed class Libp2pConnection : IHealthTracked, IAsyncDisposable
{
    private readonly ITransportConnection _transport;
    private readonly NoiseSecureStream _secure;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _negotiationTimeout;
    private readonly TaskCompletionSource<IdentifyInfo> _identify = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<Task> _disposal;
    private readonly ConnectionPinger _pinger;
    private long _reportedBytesIn;
    private long _reportedBytesOut;

    internal Libp2pConnection(
        string id,
        ITransportConnection transport,
        NoiseSecureStream secure,
        YamuxSession session,
        ConnectionDirection direction,
        TimeProvider timeProvider,
        TimeSpan negotiationTimeout)
    {
        Id = id;
        UsedEarlyMuxerNegotiation = secure.EarlyMuxer is not null;
        _transport = transport;
        _secure = secure;
        RemotePublicKey = secure.RemotePublicKey;
        RemotePeer = secure.RemotePeer;
        PeerKey = RemotePeer.ToString();
        Session = session;
        Direction = direction;
        _timeProvider = timeProvider;
        _negotiationTimeout = negotiationTimeout;
        OpenedAt = timeProvider.GetUtcNow();
        LocalAddress = transport.LocalAddress;
        RemoteAddress = transport.RemoteAddress;
        _disposal = new Lazy<Task>(DisposeCoreAsync);
        Stats = new ConnectionLoadStats(timeProvider);
        _pinger = new ConnectionPinger(this, timeProvider);
    }

    /// <summary>A short identifier unique within the host, for logs and metrics.</summary>
    public string Id { get; }

    /// <summary>The authenticated remote peer.</summary>
    public PeerId RemotePeer { get; }

    /// <summary>The remote peer ID as text (base58), the key the health engine groups connections by.</summary>
    public string PeerKey { get; }

    /// <summary>Plaintext bytes received on this connection (all streams and Yamux framing).</summary>
    public long BytesReceived => _secure.BytesRead;

    /// <summary>Plaintext bytes sent on this connection (all streams and Yamux framing).</summary>
    public long BytesSent => _secure.BytesWritten;

    /// <summary>The remote peer's identity key, proven in the Noise handshake.</summary>
    public PublicKey RemotePublicKey { get; }

    /// <summary>Our end of the connection.</summary>
    public Multiaddr LocalAddress { get; }

    /// <summary>The remote end of the connection.</summary>
    public Multiaddr RemoteAddress { get; }

    /// <summary>Whether we dialed or were dialed.</summary>
    public ConnectionDirection Direction { get; }

    /// <summary>
    /// True when the stream muxer was chosen inside the Noise handshake (inlined muxer negotiation, both peers listed
    /// muxers) and the multistream-select round for it was skipped; false when it was negotiated with multistream-select.
    /// </summary>
    public bool UsedEarlyMuxerNegotiation { get; }

    /// <summary>When the connection finished its upgrade.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>Streams currently open on the connection.</summary>
    /// <remarks>The long-lived ping stream of <see cref="PingAsync"/> is not counted: it is not user traffic.</remarks>
    public int ActiveStreamCount => Math.Max(0, Session.ActiveStreamCount - _pinger.OpenStreams);

    /// <summary>True once the connection has closed, for whatever reason.</summary>
    public bool IsClosed => Session.IsClosed;

    /// <summary>Completes (never faults) when the connection has closed.</summary>
    public Task Completion => Session.Completion;

    /// <summary>Why the connection closed, when it closed abnormally.</summary>
    public Exception? CloseReason => Session.CloseReason;

    /// <summary>
    /// True when this side closed the connection on purpose (<see cref="DisposeAsync"/>, <see cref="Abort"/>, the host
    /// shutting down) before the peer or the network ended it; false while open.
    /// </summary>
    public bool ClosedLocally => Session.ClosedLocally;

    /// <summary>
    /// The remote's identify answer. Completes when the host's automatic identify finishes;
    /// faults if it fails.
    /// </summary>
    public Task<IdentifyInfo> Identify => _identify.Task;

    internal YamuxSession Session { get; }

    /// <summary>Opens a stream and negotiates the first of <paramref name="protocols"/> the remote supports.</summary>
    /// <exception cref="ProtocolNegotiationException">The remote supports none of them.</exception>
    /// <exception cref="TimeoutException">Negotiation took longer than the host's stream negotiation timeout.</exception>
    public ValueTask<Libp2pStream> NewStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken = default) =>
        OpenStreamAsync(protocols, trackLoad: true, cancellationToken);

    /// <summary>
    /// Opens a stream; with <paramref name="trackLoad"/> false (the health pinger's own stream) it is neither counted as
    /// outstanding nor sampled for latency nor reported as a failure: it is not user traffic.
    /// </summary>
    internal async ValueTask<Libp2pStream> OpenStreamAsync(IReadOnlyList<string> protocols, bool trackLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0)
        {
            throw new ArgumentException("At least one protocol is required.", nameof(protocols));
        }

        // Outstanding from the moment we commit to this connection, so concurrent pickers see the load (P2C, LRU).
        if (trackLoad)
        {
            Stats.OnStreamOpened();
        }
        var started = Stats.GetTimestamp();
        YamuxStream stream;
        try
        {
            stream = await Session.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException && trackLoad)
        {
            ReportFailure("stream_open_failed", ex.Message);
            Stats.OnStreamClosed();
            throw;
        }
        catch when (trackLoad)
        {
            Stats.OnStreamClosed();
            throw;
        }

        using var timeout = new TimeoutScope(_negotiationTimeout, _timeProvider, cancellationToken);
        try
        {
            var protocol = await MultistreamSelect.SelectOneAsync(stream, protocols, timeout.Token).ConfigureAwait(false);
            if (trackLoad)
            {
                var now = Stats.GetTimestamp();
                Stats.RecordSuccess(_timeProvider.GetElapsedTime(started, now), now); // the open + negotiate round trip
                StreamOpenedObserver?.Invoke(this);
            }
            return new Libp2pStream(stream, protocol, this, outbound: trackLoad);
        }
        catch (OperationCanceledException) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            stream.Reset();
            var error = $"Negotiating {string.Join(", ", protocols)} with {RemotePeer} on {Id} took longer than {_negotiationTimeout.TotalSeconds:0.###} s.";
            if (trackLoad)
            {
                ReportFailure("stream_negotiation_timeout", error);
                Stats.OnStreamClosed();
            }
            throw new TimeoutException(error);
        }
        catch (Exception ex)
        {
            stream.Reset();
            if (trackLoad)
            {
                if (ex is IOException and not ProtocolNegotiationException)
                {
                    ReportFailure("stream_negotiation_failed", ex.Message); // "unsupported protocol" is an answer, not a sick connection
                }
                Stats.OnStreamClosed();
            }
            throw;
        }
    }

    /// <summary>Pings the remote over <c>/ipfs/ping/1.0.0</c> on this connection and returns the round-trip time.</summary>
    /// <remarks>Pings share one long-lived ping stream per connection (see <see cref="ConnectionPinger"/>), so the result is one round trip.</remarks>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var rtt = await _pinger.PingAsync(cancellationToken).ConfigureAwait(false);
        Stats.RecordPing(rtt);
        return rtt;
    }

    /// <summary>Load and latency signals of this connection, read by the load-balancing strategies.</summary>
    public ConnectionLoadStats Stats { get; }

    /// <inheritdoc />
    int IHealthTracked.ActiveStreams => ActiveStreamCount;

    /// <inheritdoc />
    /// <remarks>The health monitor records the result in <see cref="Stats"/> itself, for every kind of connection alike.</remarks>
    Task<TimeSpan> IHealthTracked.PingAsync(CancellationToken cancellationToken) => _pinger.PingAsync(cancellationToken);

    /// <summary>
    /// Receives every passive failure signal of this connection (error type, message): failed stream opens, negotiation
    /// timeouts, streams reset by the remote. Set by the host when health monitoring is on.
    /// </summary>
    internal Action<Libp2pConnection, string, string>? FailureObserver { get; set; }

    /// <summary>Told of every stream we open for user traffic. Set by the host when health monitoring is on.</summary>
    internal Action<Libp2pConnection>? StreamOpenedObserver { get; set; }

    /// <summary>Bytes moved since the previous call (for monitors that count deltas); thread-safe, each byte reported once.</summary>
    internal (long In, long Out) TakeUnreportedBytes() =>
        (TakeDelta(ref _reportedBytesIn, BytesReceived), TakeDelta(ref _reportedBytesOut, BytesSent));

    // Monotonic: two racing callers split the delta between them, neither sees a negative one.
    private static long TakeDelta(ref long reported, long total)
    {
        long previous = Volatile.Read(ref reported);
        while (total > previous)
        {
            long seen = Interlocked.CompareExchange(ref reported, total, previous);
            if (seen == previous)
            {
                return total - previous;
            }

            previous = seen;
        }

        return 0;
    }

    /// <summary>Records a failure in <see cref="Stats"/> (for the strategies) and tells the <see cref="FailureObserver"/>.</summary>
    internal void ReportFailure(string errorType, string message)
    {
        Stats.RecordFailure(Stats.GetTimestamp());
        FailureObserver?.Invoke(this, errorType, message);
    }

    /// <summary>Drops the connection immediately; open streams fail.</summary>
    public void Abort()
    {
        // Socket first, so it closes with a reset (linger 0) before the session's dispose closes it politely; but the
        // session learns first that the close is ours, or its read loop would report the reset as the peer's doing.
        Session.BeginLocalClose();
        _transport.Abort();
        Session.Abort(new IOException($"Connection {Id} to {RemotePeer} was aborted locally."));
    }

    /// <summary>
    /// Closes the connection gracefully: Yamux go-away, everything already written is sent, then the socket closes.
    /// Safe to call concurrently (the host also calls it when a session ends): every caller awaits the same close,
    /// so no second caller can shut the socket while the first is still draining.
    /// </summary>
    public ValueTask DisposeAsync() => new(_disposal.Value);

    private async Task DisposeCoreAsync()
    {
        Session.BeginLocalClose(); // before the pinger's close below can disturb the session
        await _pinger.DisposeAsync().ConfigureAwait(false);
        await Session.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    internal void CompleteIdentify(IdentifyInfo info) => _identify.TrySetResult(info);

    internal void FailIdentify(Exception error)
    {
        _identify.TrySetException(error);
        // The failure is logged by the host; mark it observed so nobody gets an UnobservedTaskException.
        _ = _identify.Task.Exception;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Direction} {RemotePeer} {RemoteAddress}";
}

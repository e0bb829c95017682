using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>
/// A Yamux session multiplexing <see cref="YamuxStream"/>s over one reliable, ordered transport stream
/// (typically a Noise-encrypted connection). Protocol id <see cref="ProtocolId"/>.
/// </summary>
/// <remarks>
/// Call <see cref="Start"/> to run the background read loop. The session owns the transport and disposes it when it ends.
/// Stream ids: the connection initiator uses odd ids, the responder even ids.
/// </remarks>
public sealed partial class YamuxSession : IAsyncDisposable
{
    /// <summary>The multistream-select protocol id of Yamux.</summary>
    public const string ProtocolId = "/yamux/1.0.0";

    /// <summary>Bound on how long graceful shutdown (GoAway on dispose or on protocol errors) may wait for the transport.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Stream _transport;
    private readonly bool _isInitiator;
    private readonly YamuxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, YamuxStream> _streams = new();
    private readonly Channel<YamuxStream> _inbound;
    private readonly CancellationTokenSource _closeCts = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _controlWriterStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _openLock = new();

    private uint _nextOutboundId;
    private uint _maxRemoteId;
    private int _activeStreams;
    private int _activeInbound;
    private int _activeOutbound;
    private long _windowGrowth; // sum over live streams of (receive window - initial window)
    private int _started;
    private int _closed;
    private Exception? _closeReason;
    private bool _closedLocally;
    private volatile bool _closingLocally;
    private volatile bool _remoteGoAway;
    private volatile bool _localGoAway;

    /// <summary>Creates a session over <paramref name="transport"/>; call <see cref="Start"/> to begin reading.</summary>
    /// <param name="transport">A reliable, ordered duplex stream. The session takes ownership and disposes it when it ends.
    /// Writes are not flushed, so the transport must not buffer writes indefinitely.</param>
    /// <param name="isInitiator"><see langword="true"/> on the side that dialed the connection (odd stream ids).</param>
    /// <param name="options">Tunables; copied and validated. <see langword="null"/> uses defaults.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="timeProvider">Clock for RTT, window tuning and timeouts; defaults to <see cref="TimeProvider.System"/>.</param>
    public YamuxSession(Stream transport, bool isInitiator, YamuxOptions? options = null, ILogger<YamuxSession>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _options = options?.Clone() ?? new YamuxOptions();
        _options.Validate();
        _transport = transport;
        _isInitiator = isInitiator;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _nextOutboundId = isInitiator ? 1u : 2u;
        _inbound = Channel.CreateBounded<YamuxStream>(new BoundedChannelOptions(_options.MaxPendingInboundStreams)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _control = Channel.CreateUnbounded<YamuxFrameHeader>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Number of open streams (both directions) that are not yet fully closed or reset; 0 once the session is closed.</summary>
    public int ActiveStreamCount => IsClosed ? 0 : Volatile.Read(ref _activeStreams);

    /// <summary>Whether the session has ended (abort, dispose, transport EOF/failure or protocol error).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Completes (never faults) once the session has ended and its background loops have stopped.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the session ended; <see langword="null"/> while open, never <see langword="null"/> once <see cref="IsClosed"/>.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>
    /// True when this side ended the session on purpose (<see cref="DisposeAsync"/> or <see cref="Abort"/>) before the
    /// peer or the network did; false while open, and when the peer, the network or a protocol error ended it.
    /// </summary>
    public bool ClosedLocally => IsClosed && _closedLocally;

    internal YamuxOptions Options => _options;

    internal TimeProvider Time => _time;

    /// <summary>Starts the background read loop (and keep-alive, if configured). Call exactly once.</summary>
    /// <exception cref="InvalidOperationException">The session was already started.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The Yamux session was already started.");
        }

        if (IsClosed)
        {
            _completion.TrySetResult();
            return;
        }

        Log.SessionStarted(_logger, _isInitiator);
        _ = Task.Run(RunAsync);
    }

    /// <summary>Opens a new outbound stream; the SYN is written before this completes, so data written afterwards follows it.</summary>
    /// <param name="cancellationToken">Cancels waiting for the transport write lock.</param>
    /// <exception cref="YamuxException">The session is closed, either side sent GoAway, or <see cref="YamuxOptions.MaxConcurrentStreams"/> is reached.</exception>
    public async ValueTask<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (_remoteGoAway)
        {
            throw new YamuxException("Cannot open a stream: the remote peer sent GoAway.");
        }

        if (_localGoAway)
        {
            throw new YamuxException("Cannot open a stream: this session sent GoAway.");
        }

        YamuxStream stream;
        lock (_openLock)
        {
            if (!TryReserveStreamSlot(outbound: true))
            {
                throw new YamuxException($"Cannot open a stream: {nameof(YamuxOptions.MaxConcurrentStreams)} ({_options.MaxConcurrentStreams}) outbound streams reached.");
            }

            uint id = _nextOutboundId;
            if (id > uint.MaxValue - 2)
            {
                ReleaseStreamSlot(outbound: true);
                throw new YamuxException("Cannot open a stream: stream ids exhausted.");
            }

            stream = new YamuxStream(this, id);
            _streams[id] = stream;
            Volatile.Write(ref _nextOutboundId, id + 2);
        }

        try
        {
            await WriteFrameAsync(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Syn, stream.Id, ExtraWindow), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            stream.AbortSilently();
            throw;
        }

        return stream;
    }

    /// <summary>Waits for the next inbound stream opened by the remote peer.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="YamuxException">The session is closed (inner exception: <see cref="CloseReason"/>).</exception>
    public async ValueTask<YamuxStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        try
        {
            YamuxStream stream = await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfClosed();
            return stream;
        }
        catch (ChannelClosedException)
        {
            throw CreateClosedException();
        }
    }

    /// <summary>Sends GoAway: afterwards neither side may open new streams on this session; existing streams continue.</summary>
    /// <param name="code">The code to send.</param>
    /// <param name="cancellationToken">Cancels waiting for the transport write lock.</param>
    public ValueTask GoAwayAsync(YamuxGoAwayCode code = YamuxGoAwayCode.Normal, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        _localGoAway = true;
        return WriteFrameAsync(new YamuxFrameHeader(YamuxFrameType.GoAway, YamuxFrameFlags.None, 0, (uint)code), ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    /// <summary>Ends the session immediately: all streams fail with <paramref name="reason"/>, the transport is disposed. Idempotent.</summary>
    /// <param name="reason">The close reason; defaults to a <see cref="YamuxException"/> saying the session was aborted.</param>
    public void Abort(Exception? reason = null)
    {
        BeginLocalClose();
        Close(reason ?? new YamuxException("The Yamux session was aborted locally."));
    }

    /// <summary>
    /// Notes that this side is closing the session on purpose, so that whatever ends it from now on (our close, or the
    /// read loop seeing the peer answer our go-away) counts as <see cref="ClosedLocally"/>. Has no effect once closed.
    /// </summary>
    internal void BeginLocalClose() => _closingLocally = true;

    /// <summary>
    /// Graceful close: queues GoAway(Normal) behind every FIN and window update already queued, lets the control writer
    /// drain, then disposes the transport asynchronously so that data already accepted by stream writes reaches the
    /// peer (an encrypting transport may still be sending it). Every wait is bounded; <see cref="Abort"/> is the abrupt path.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        BeginLocalClose();
        if (!IsClosed && Volatile.Read(ref _started) != 0)
        {
            _localGoAway = true;
            EnqueueControl(new YamuxFrameHeader(YamuxFrameType.GoAway, YamuxFrameFlags.None, 0, (uint)YamuxGoAwayCode.Normal));
            _control.Writer.TryComplete();
            try
            {
                await _controlWriterStopped.Task.WaitAsync(CloseTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The peer is not reading; the transport dispose below bounds the rest.
            }

            // Close first (so "disposed locally" is the reason everyone sees, not the read loop's failing read),
            // but leave the transport to the graceful async dispose that drains what is still queued.
            Close(new YamuxException("The Yamux session was disposed locally."), disposeTransport: false);
            try
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: the session is being torn down regardless.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        Close(new YamuxException("The Yamux session was disposed locally."));

        try
        {
            // Loops stop as soon as the transport is disposed; the bound only guards against transports ignoring that.
            await Completion.WaitAsync(CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The window we advertise above the spec's 256 KiB in SYN/ACK frames.</summary>
    private uint ExtraWindow => (uint)(_options.InitialWindowSize - YamuxOptions.SpecInitialWindowSize);

    private bool TryReserveStreamSlot(bool outbound)
    {
        ref int counter = ref outbound ? ref _activeOutbound : ref _activeInbound;
        while (true)
        {
            int current = Volatile.Read(ref counter);
            if (current >= _options.MaxConcurrentStreams)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current + 1, current) == current)
            {
                Interlocked.Increment(ref _activeStreams);
                return true;
            }
        }
    }

    private void ReleaseStreamSlot(bool outbound)
    {
        Interlocked.Decrement(ref outbound ? ref _activeOutbound : ref _activeInbound);
        Interlocked.Decrement(ref _activeStreams);
    }

    /// <summary>Whether <paramref name="id"/> has our parity, i.e. we opened the stream.</summary>
    private bool IsOutboundId(uint id) => (id % 2 == 1) == _isInitiator;

    /// <summary>Called once per stream when it is fully closed, reset or abandoned.</summary>
    internal void RemoveStream(YamuxStream stream)
    {
        if (_streams.TryRemove(new KeyValuePair<uint, YamuxStream>(stream.Id, stream)))
        {
            ReleaseStreamSlot(IsOutboundId(stream.Id));
            Interlocked.Add(ref _windowGrowth, -stream.ReleaseWindowGrowth());
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> of the session's window-growth budget; false when it is spent.</summary>
    internal bool TryReserveWindowGrowth(long bytes)
    {
        while (true)
        {
            long current = Volatile.Read(ref _windowGrowth);
            if (current + bytes > _options.MaxSessionWindowGrowth)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _windowGrowth, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Window growth currently granted across all streams (for tests and diagnostics).</summary>
    internal long WindowGrowth => Volatile.Read(ref _windowGrowth);

    /// <summary>Handles an inbound SYN (read loop only). Returns <see langword="null"/> when the stream was rejected with RST.</summary>
    private YamuxStream? AcceptInbound(uint id)
    {
        string? rejection = null;
        if (_localGoAway)
        {
            rejection = "this session sent GoAway";
        }
        else if (_inbound.Reader.Count >= _options.MaxPendingInboundStreams)
        {
            rejection = $"{nameof(YamuxOptions.MaxPendingInboundStreams)} ({_options.MaxPendingInboundStreams}) reached";
        }
        else if (!TryReserveStreamSlot(outbound: false))
        {
            rejection = $"{nameof(YamuxOptions.MaxConcurrentStreams)} ({_options.MaxConcurrentStreams}) inbound streams reached";
        }

        if (rejection is not null)
        {
            Log.InboundStreamRejected(_logger, id, rejection);
            EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Rst, id, 0));
            return null;
        }

        var stream = new YamuxStream(this, id);
        _streams[id] = stream;

        // ACK right away (as go-yamux does on accept): the opener may limit un-ACKed streams.
        EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Ack, id, ExtraWindow));

        // The read loop is the only writer and we checked Count above, so this only fails if the session closed.
        if (!_inbound.Writer.TryWrite(stream))
        {
            stream.AbortSilently();
            return null;
        }

        return stream;
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw CreateClosedException();
        }
    }

    internal YamuxException CreateClosedException()
    {
        Exception? reason = CloseReason;
        return new YamuxException($"The Yamux session is closed: {reason?.Message ?? "unknown reason"}", reason);
    }

    /// <summary>Ends the session once; everything else observing it sees <paramref name="reason"/>.</summary>
    private void Close(Exception reason, bool disposeTransport = true)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        // Written before _closed, so whoever sees the session closed also sees who closed it.
        _closedLocally = _closingLocally;

        Volatile.Write(ref _closed, 1);
        Log.SessionClosed(_logger, reason.Message);

        // Streams get their error before the loops are cancelled: cancelling can run the read loop's end inline, which
        // completes every receive pipe, and a reader must then see the reason, not a clean end of stream.
        foreach (YamuxStream stream in _streams.Values)
        {
            stream.OnSessionClosed(reason);
        }

        _inbound.Writer.TryComplete();
        _control.Writer.TryComplete();

        // Streams still sitting in the accept backlog are not in the map if they were already removed; fail them too.
        while (_inbound.Reader.TryRead(out YamuxStream? pending))
        {
            pending.OnSessionClosed(reason);
        }

        try
        {
            _closeCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        FailPendingPings();

        try
        {
            if (disposeTransport)
            {
                _transport.Dispose();
            }
        }
#pragma warning disable CA1031 // A failing transport dispose must not prevent the session from closing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (Volatile.Read(ref _started) == 0)
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Runs all background loops; none of them throws. Completes <see cref="Completion"/>.</summary>
    private async Task RunAsync()
    {
        try
        {
            Task writer = ControlWriterLoopAsync();
            Task keepAlive = _options.KeepAliveInterval is { } interval ? KeepAliveLoopAsync(interval) : Task.CompletedTask;
            Task probe = ProbeRttAsync();
            await ReadLoopAsync().ConfigureAwait(false);
            await Task.WhenAll(writer, keepAlive, probe).ConfigureAwait(false);
            foreach (YamuxStream stream in _streams.Values)
            {
                stream.CompleteReceiveWriter();
            }
        }
#pragma warning disable CA1031 // Last line of defence: nothing may escape unobserved; the session just ends.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Close(new YamuxException("Internal error in the Yamux session.", ex));
        }
        finally
        {
            _completion.TrySetResult();
        }
    }
}

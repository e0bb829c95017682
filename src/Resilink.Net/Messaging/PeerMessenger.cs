using Resilink.Monitoring;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;
using Resilink.Net.Threading;

namespace Resilink.Net.Messaging;

/// <summary>
/// Typed, acknowledged messages to peers over <c>/resilink/message/1.0.0</c>, one stream each, spread over a peer's
/// connections by the host's strategy. While a peer has no healthy connection, messages wait in a bounded per-peer
/// buffer (the host is asked to connect) and go out in order as soon as a connection opens. Every message, its size
/// and its acknowledged latency, and every change of the buffers, is reported to the host's <see cref="IConnectionMonitor"/>.
/// </summary>
/// <remarks>Delivery is at least once: a message whose acknowledgement was lost with its connection is sent again.</remarks>
public sealed partial class PeerMessenger : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly PeerMessengerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _closing = new();
    private Func<PeerMessage, CancellationToken, Task>? _handler;

    /// <summary>Creates a messenger on <paramref name="host"/> and starts answering <c>/resilink/message/1.0.0</c>.</summary>
    /// <param name="host">The host whose connections carry the messages.</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <param name="timeProvider">Clock for timeouts and buffer expiry; null for <see cref="TimeProvider.System"/>.</param>
    public PeerMessenger(Libp2pHost host, PeerMessengerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _options = options ?? new PeerMessengerOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _host.SetStreamHandler(MessageWireFormat.ProtocolId, ReceiveAsync);
        _host.ConnectionOpened += OnConnectionOpened;
        _sweeper = SweepExpiredAsync(_closing.Token);
    }

    /// <summary>
    /// Called for every message received; the sender gets its acknowledgement when the returned task completes, and a
    /// failure (its stream reset) when it throws. Without a handler, messages are refused.
    /// </summary>
    public Func<PeerMessage, CancellationToken, Task>? MessageHandler
    {
        get => Volatile.Read(ref _handler);
        set => Volatile.Write(ref _handler, value);
    }

    /// <summary>
    /// Sends a message to <paramref name="peer"/> and completes when the peer acknowledged it. With no healthy
    /// connection to the peer the message is buffered (see <see cref="PeerMessengerOptions"/>) until one opens.
    /// </summary>
    /// <param name="peer">The peer.</param>
    /// <param name="type">The message type, at most 128 UTF-8 bytes; a metric tag, so keep the set of types small.</param>
    /// <param name="payload">The bytes, at most <see cref="PeerMessengerOptions.MaxMessageSize"/>.</param>
    /// <param name="cancellationToken">Gives up waiting (a buffered message is then dropped from the buffer).</param>
    /// <returns>A task that completes when the peer acknowledged the message.</returns>
    /// <exception cref="MessageNotDeliveredException">The buffer overflowed, the message expired, or the messenger closed.</exception>
    public async Task SendAsync(PeerId peer, string type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        MessageWireFormat.ValidateType(type);
        if (payload.Length > _options.MaxMessageSize)
        {
            throw new ArgumentException($"The payload of {payload.Length} bytes exceeds MaxMessageSize ({_options.MaxMessageSize}).", nameof(payload));
        }
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);

        if (_host.HasHealthyConnection(peer) && !HasBuffered(peer))
        {
            try
            {
                await SendNowAsync(peer, type, payload, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (IOException) when (!_host.HasHealthyConnection(peer) && !cancellationToken.IsCancellationRequested)
            {
                // Every connection went away under us: wait for the next one, like any other buffered message.
            }
        }

        await EnqueueAsync(peer, type, payload.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops answering messages and fails every buffered one with <see cref="MessageNotDeliveredException"/>.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _host.ConnectionOpened -= OnConnectionOpened;
        _host.RemoveStreamHandler(MessageWireFormat.ProtocolId);
        FailAllBuffered("the messenger was closed");
        await _sweeper.ConfigureAwait(false);
    }

    private async Task SendNowAsync(PeerId peer, string type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var timeout = new TimeoutScope(_options.SendTimeout, _timeProvider, cancellationToken);
        var started = _timeProvider.GetTimestamp();
        try
        {
            await using var stream = await _host.NewStreamAsync(peer, MessageWireFormat.ProtocolId, timeout.Token).ConfigureAwait(false);
            await MessageWireFormat.WriteAsync(stream, type, payload, timeout.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            await MessageWireFormat.ReadAckAsync(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Sending a '{type}' message to {peer} took longer than SendTimeout ({_options.SendTimeout.TotalSeconds:0.###} s).", ex);
        }

        _host.ConnectionMonitor.OnMessage(new(peer.ToString(), type, payload.Length, _timeProvider.GetElapsedTime(started), Outbound: true));
    }

    private async Task ReceiveAsync(Libp2pStream stream, CancellationToken cancellationToken)
    {
        var (type, payload) = await MessageWireFormat.ReadAsync(stream, _options.MaxMessageSize, cancellationToken).ConfigureAwait(false);
        var handler = MessageHandler ?? throw new InvalidOperationException($"No message handler: '{type}' from {stream.RemotePeer} refused.");
        _host.ConnectionMonitor.OnMessage(new(stream.RemotePeer.ToString(), type, payload.Length, null, Outbound: false));
        await handler(new PeerMessage(stream.RemotePeer, type, payload, stream.Connection.Id), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(new[] { MessageWireFormat.Ack }, cancellationToken).ConfigureAwait(false);
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }
}

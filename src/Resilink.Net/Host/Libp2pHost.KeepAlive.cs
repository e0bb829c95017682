using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Resilink.Monitoring;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;
using Resilink.Resilience;

namespace Resilink.Net.Host;

// Keep-alive: a marked peer whose last connection drops is re-dialed by the Reconnector, with its backoff, through the
// same breaker-guarded known-address dial as NewStreamAsync uses. Streams are never replayed: those open on the dead
// connection fail as they always have.
public sealed partial class Libp2pHost
{
    /// <summary>
    /// How often an attempt rechecks a breaker that rejected it without saying when it lets calls through (half-open
    /// while someone else's trial dial runs): cheap, since nothing is dialed until the breaker allows it.
    /// </summary>
    private static readonly TimeSpan BreakerRecheckDelay = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<PeerId, KeepAliveMark> _keptAlive = new();
    private readonly Reconnector _reconnector;

    /// <summary>
    /// Raised as each re-dial of a kept-alive peer starts (<see cref="ReconnectEventArgs.Key"/> is the peer ID;
    /// <see cref="ReconnectEventArgs.Delay"/> the backoff waited before it). Handlers must be quick and must not throw
    /// (a throwing handler is logged and ignored).
    /// </summary>
    public event EventHandler<ReconnectEventArgs>? ReconnectAttemptStarted;

    /// <summary>Raised when a kept-alive peer is connected again. Handlers must be quick and must not throw.</summary>
    public event EventHandler<ReconnectEventArgs>? Reconnected;

    /// <summary>
    /// Raised once when re-dialing a kept-alive peer is abandoned: <see cref="ReconnectOptions.MaxAttempts"/> attempts
    /// failed, or an attempt failed for good (the peer's breaker isolated by hand, a peer ID mismatch).
    /// <see cref="ReconnectEventArgs.Exception"/> says why. Handlers must be quick and must not throw.
    /// </summary>
    public event EventHandler<ReconnectEventArgs>? ReconnectGaveUp;

    /// <summary>Peers marked with <see cref="KeepAlive"/> (a snapshot).</summary>
    public IReadOnlyCollection<PeerId> KeptAlivePeers => [.. _keptAlive.Keys];

    /// <summary>
    /// Keeps <paramref name="peer"/> connected: whenever its last connection drops — closed by the peer, reset, retired
    /// for bad health, closed by <see cref="HangUpAsync"/>, anything — the host re-dials it in the background with
    /// <see cref="Libp2pHostOptions.Reconnect"/>'s backoff until it is connected or
    /// <see cref="ReconnectOptions.MaxAttempts"/> attempts have failed (then <see cref="ReconnectGaveUp"/> is raised and a
    /// warning logged). Marking a peer that has no connection now starts re-dialing it at once.
    /// </summary>
    /// <remarks>
    /// <para>The mark belongs to the peer, not to the caller, like a stream handler belongs to its protocol: marking
    /// twice is harmless, and one <see cref="StopKeepAlive"/> removes it. It outlives a give-up: the peer is re-dialed
    /// again after its next connection drops, or when <see cref="KeepAlive"/> is called while it has none.</para>
    /// <para>Each attempt dials the peer's known addresses (from earlier dials and identify) through its circuit breaker,
    /// like every other dial, and each dial is reported to <see cref="ConnectionMonitor"/> as a connection attempt. An
    /// attempt that finds the breaker open waits for the break to end and then makes the trial dial (the wait counts
    /// against <see cref="ReconnectOptions.ConnectionTimeout"/>); a breaker isolated by hand ends the re-dialing.
    /// A connection the peer closes before identify completes counts as a failed attempt, so a peer that turns us away
    /// is not re-dialed in a tight loop.</para>
    /// <para>Nothing is replayed: streams that were open on the lost connection fail as usual; new streams use the new one.</para>
    /// </remarks>
    /// <param name="peer">The peer to keep connected.</param>
    /// <returns>True if the peer was not marked before.</returns>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is this host.</exception>
    /// <exception cref="ObjectDisposedException">The host is disposed.</exception>
    public bool KeepAlive(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ThrowIfDisposed();
        if (peer.Equals(PeerId))
        {
            throw new ArgumentException($"A host cannot keep itself alive ({PeerId}).", nameof(peer));
        }
        var mark = new KeepAliveMark();
        var current = _keptAlive.GetOrAdd(peer, mark);
        if (GetConnection(peer) is null)
        {
            StartReconnecting(peer, current);
        }
        return ReferenceEquals(current, mark);
    }

    /// <summary>
    /// Removes <paramref name="peer"/>'s keep-alive mark and stops a re-dialing in progress (counted as a cancellation in
    /// <see cref="GetReconnectionStatistics"/>). Its connections stay open.
    /// </summary>
    /// <param name="peer">The peer.</param>
    /// <returns>True if the peer was marked.</returns>
    public bool StopKeepAlive(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_keptAlive.TryRemove(peer, out var mark))
        {
            return false;
        }
        mark.Remove();
        return true;
    }

    /// <summary>Whether <paramref name="peer"/> is marked with <see cref="KeepAlive"/>.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>True while it is marked, whether or not it is connected or being re-dialed.</returns>
    public bool IsKeptAlive(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return _keptAlive.ContainsKey(peer);
    }

    /// <summary>Counters of every keep-alive re-dialing since the host was created (a consistent snapshot).</summary>
    /// <returns>Attempts, failed attempts, reconnections, give-ups, cancellations, and mean and longest time to reconnect.</returns>
    public ReconnectionStatistics GetReconnectionStatistics() => _reconnector.Statistics;

    /// <summary>
    /// Registers <paramref name="callback"/> to be called after every failed keep-alive attempt with the peer ID, the
    /// attempt's error and its 1-based number. Must be quick; one that throws is logged and ignored.
    /// </summary>
    /// <param name="callback">Receives peer ID, error and attempt number.</param>
    /// <returns>Disposing it unregisters the callback.</returns>
    public IDisposable RegisterReconnectFailureCallback(Action<string, Exception, int> callback) =>
        _reconnector.RegisterFailureCallback(callback);

    private Reconnector CreateReconnector(ILoggerFactory loggerFactory)
    {
        var reconnector = new Reconnector(
            _options.Reconnect, _timeProvider, logger: loggerFactory.CreateLogger<Reconnector>(), monitor: ConnectionMonitor);
        // The reconnector catches and logs a throwing handler; forwarding only makes the host the sender.
        reconnector.AttemptStarted += (_, e) => ReconnectAttemptStarted?.Invoke(this, e);
        reconnector.Succeeded += (_, e) => Reconnected?.Invoke(this, e);
        reconnector.GaveUp += (_, e) => ReconnectGaveUp?.Invoke(this, e);
        return reconnector;
    }

    /// <summary>The last connection to <paramref name="peer"/> is gone: re-dial it if it is kept alive.</summary>
    private void OnPeerLost(PeerId peer)
    {
        if (_keptAlive.TryGetValue(peer, out var mark))
        {
            StartReconnecting(peer, mark);
        }
    }

    private void StartReconnecting(PeerId peer, KeepAliveMark mark)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        var reconnection = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        if (!mark.TryBegin(reconnection))
        {
            reconnection.Dispose();
            return;
        }
        LogKeepAliveReconnecting(peer);
        _background.Run($"keep-alive {peer}", () => KeepReconnectingAsync(peer, mark, reconnection));
    }

    private async Task KeepReconnectingAsync(PeerId peer, KeepAliveMark mark, CancellationTokenSource reconnection)
    {
        var reconnected = false;
        try
        {
            await _reconnector.ReconnectAsync(
                peer.ToString(), ct => ReconnectOnceAsync(peer, reconnection, ct), reconnection.Token).ConfigureAwait(false);
            reconnected = true;
        }
        catch (Exception) when (reconnection.IsCancellationRequested)
        {
            // StopKeepAlive or host shutdown: counted as a cancellation by the reconnector, not an error.
        }
#pragma warning disable CA1031 // The reconnector has logged the give-up and raised ReconnectGaveUp; nothing else to do.
        catch (Exception)
#pragma warning restore CA1031
        {
            LogKeepAliveGaveUp(peer);
        }
        finally
        {
            mark.End(reconnection);
            reconnection.Dispose();
        }

        // A drop between the reconnection and End found it still running and started nothing: catch up now.
        if (reconnected && GetConnection(peer) is null)
        {
            OnPeerLost(peer);
        }
    }

    /// <summary>One attempt: a connection that came back by itself, or one breaker-guarded dial of the known addresses.</summary>
    private async Task<Libp2pConnection> ReconnectOnceAsync(PeerId peer, CancellationTokenSource reconnection, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (GetConnection(peer) is { } live)
                {
                    return live; // the peer dialed us, or healing replaced the connection
                }
                try
                {
                    var connection = await DialKnownAddressAsync(peer, cancellationToken).ConfigureAwait(false);
                    await ConfirmAcceptedAsync(connection, cancellationToken).ConfigureAwait(false);
                    return connection;
                }
                catch (CircuitOpenException open) when (open.State != CircuitState.Isolated)
                {
                    var wait = open.RetryAt is { } retryAt ? retryAt - _timeProvider.GetUtcNow() : BreakerRecheckDelay;
                    if (wait <= TimeSpan.Zero)
                    {
                        wait = BreakerRecheckDelay; // the break is over but a trial is under way
                    }
                    LogKeepAliveWaitingForBreaker(peer, wait);
                    await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed just before the shutdown token fired: end as a cancellation, not as a failed attempt or a give-up.
            await reconnection.CancelAsync().ConfigureAwait(false);
            throw new OperationCanceledException(reconnection.Token);
        }
    }

    /// <summary>
    /// Waits for identify on a new connection: a peer that closes the connection first (one at its own per-peer limit
    /// that has not noticed the old connection is dead, say) has not taken us back, and that is a failed attempt.
    /// </summary>
    private async Task ConfirmAcceptedAsync(Libp2pConnection connection, CancellationToken cancellationToken)
    {
        if (!_options.IdentifyOnConnect)
        {
            return;
        }
        try
        {
            await connection.Identify.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && connection.IsClosed)
        {
            throw new IOException(
                $"{connection.RemotePeer} closed connection {connection.Id} right after accepting it " +
                $"({connection.CloseReason?.Message ?? "closed"}).", ex);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Identify failed on a live connection (a peer that does not serve it): connected all the same.
        }
    }
}

using System.Diagnostics;
using Polly;
using Resilink.Connections;
using Resilink.Monitoring;
using Resilink.Net.Addressing;
using Resilink.Net.Diagnostics;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;
using Resilink.Net.Threading;

namespace Resilink.Net.Host;

// Outbound connections: one dial, dials with retry, dials to known addresses. Each logical connection is reported as
// Disconnected → Connecting → Connected (or Failed) once, with one attempt report per try.
public sealed partial class Libp2pHost
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PeerId, byte> _requestedConnections = new();

    /// <summary>
    /// Dials <paramref name="address"/>, secures and multiplexes the connection. If the address ends in
    /// <c>/p2p/&lt;id&gt;</c>, the remote must prove that identity or the dial fails with
    /// <see cref="Security.Noise.PeerIdMismatchException"/>.
    /// </summary>
    /// <exception cref="TimeoutException">The dial and upgrade took longer than <see cref="ConnectionOptions.ConnectionTimeout"/>.</exception>
    /// <exception cref="Resilience.CircuitOpenException">The address names a peer whose circuit breaker is open: nothing was dialed.</exception>
    public Task<Libp2pConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        var expectedPeer = ValidateDialTarget(address);
        if (expectedPeer is null)
        {
            return WithConnectingStateAsync(address.ToString(), ct => DialOnceAsync(address, null, ct), cancellationToken);
        }
        return GuardDialAsync(
            expectedPeer,
            ct => WithConnectingStateAsync(expectedPeer.ToString(), c => DialOnceAsync(address, expectedPeer, c), ct),
            cancellationToken);
    }

    /// <summary>
    /// Brings the peer at <paramref name="address"/> (which must end in <c>/p2p/&lt;id&gt;</c>) up to
    /// <see cref="ConnectionOptions.MaxConnectionsPerPeer"/> connections, dialing the missing ones in parallel, each with
    /// the retry policy of <see cref="ConnectionOptions.Retry"/>, and returns every live connection to it.
    /// </summary>
    /// <exception cref="Resilience.RetryExhaustedException">No connection existed and every dial failed; lists the attempts.</exception>
    /// <exception cref="Resilience.CircuitOpenException">No connection existed and the peer's circuit breaker is open: nothing was dialed.</exception>
    public async Task<IReadOnlyList<Libp2pConnection>> DialPeerAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        var peer = ValidateDialTarget(address)
            ?? throw new ArgumentException($"DialPeerAsync needs an address ending in /p2p/<peer id> (was {address}).", nameof(address));

        var missing = _options.Connections.MaxConnectionsPerPeer - LiveConnections(peer).Count;
        if (missing <= 0)
        {
            return GetConnections(peer);
        }
        try
        {
            // One logical dial for the breaker: it fails only if the peer ends up with no connection at all.
            await GuardDialAsync(peer, ct => DialMissingAsync(address, peer, missing, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Resilience.CircuitOpenException ex) when (LiveConnections(peer).Count > 0)
        {
            LogDialFailed(address, ex.Message); // the peer is reachable over what it has
        }
        return GetConnections(peer);
    }

    /// <summary>Dials <paramref name="missing"/> connections in parallel, each with retry; throws only if the peer has none at the end.</summary>
    private async Task<int> DialMissingAsync(Multiaddr address, PeerId peer, int missing, CancellationToken cancellationToken)
    {
        var dials = new List<Task<Libp2pConnection>>();
        for (var i = 0; i < missing; i++)
        {
            dials.Add(WithConnectingStateAsync(
                peer.ToString(),
                ct => WithRetryAsync($"Dialing {address}", c => DialOnceAsync(address, peer, c), ct),
                cancellationToken));
        }
        try
        {
            await Task.WhenAll(dials).ConfigureAwait(false);
        }
        catch (Exception) when (dials.Any(d => d.IsCompletedSuccessfully) || LiveConnections(peer).Count > 0)
        {
            // Some dials failed but the peer is reachable: return what we have (the failures are in the log).
            foreach (var failed in dials.Where(d => d.IsFaulted))
            {
                var error = failed.Exception!.GetBaseException();
                LogDialFailed(address, error.Message);
                LogFailureDetail(error, "Dialing", address);
            }
        }
        return dials.Count(d => d.IsCompletedSuccessfully);
    }

    private PeerId? ValidateDialTarget(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        ThrowIfDisposed();
        var expectedPeer = address.PeerIdBytes is { } bytes ? PeerId.FromBytes(bytes.Span) : null;
        if (PeerId.Equals(expectedPeer))
        {
            throw new ArgumentException($"Refusing to dial ourselves ({PeerId}).", nameof(address));
        }
        return expectedPeer;
    }

    /// <summary>Reports Connecting, runs the attempts, then Connected or (once, whatever the retries) Failed.</summary>
    private async Task<Libp2pConnection> WithConnectingStateAsync(
        string peerKey, Func<CancellationToken, Task<Libp2pConnection>> attempts, CancellationToken cancellationToken)
    {
        ConnectionMonitor.OnConnectionStateChanged(new(null, peerKey, ConnectionState.Disconnected, ConnectionState.Connecting, null));
        Libp2pConnection connection;
        try
        {
            connection = await attempts(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ConnectionMonitor.OnConnectionStateChanged(new(null, peerKey, ConnectionState.Connecting, ConnectionState.Failed, ex.Message));
            throw;
        }
        ConnectionMonitor.OnConnectionStateChanged(new(connection.Id, connection.PeerKey, ConnectionState.Connecting, ConnectionState.Connected, null));
        return connection;
    }

    /// <summary>Runs <paramref name="attempt"/> with the retry policy; each retried failure is logged as one line naming <paramref name="operation"/>.</summary>
    private async Task<Libp2pConnection> WithRetryAsync(
        string operation, Func<CancellationToken, Task<Libp2pConnection>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _retry.ExecuteAsync(
                static async (ctx, run) => await run(ctx.CancellationToken).ConfigureAwait(false), context, attempt).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: TCP connect, Noise, Yamux, registration. Reports the attempt, not the state.</summary>
    private async Task<Libp2pConnection> DialOnceAsync(Multiaddr address, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        using var activity = ResilinkActivitySource.Source.StartActivity(ResilinkActivitySource.DialActivity, ActivityKind.Client);
        activity?.SetTag("network.peer.address", address.ToString());
        var peerKey = expectedPeer?.ToString() ?? address.ToString();
        var startedAt = _timeProvider.GetTimestamp();
        using var shutdownOrCaller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        using var timeout = new TimeoutScope(_options.Connections.ConnectionTimeout, _timeProvider, shutdownOrCaller.Token);
        Libp2pConnection connection;
        try
        {
            var raw = await _transport.DialAsync(address, timeout.Token).ConfigureAwait(false);
            connection = await _upgrader.UpgradeOutboundAsync(raw, expectedPeer, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            var error = new TimeoutException(
                $"Dialing {address} did not complete within {_options.Connections.ConnectionTimeout.TotalSeconds:0.###} s (ConnectionTimeout).", ex);
            ResilinkActivitySource.RecordError(activity, error);
            ReportAttemptFailed(peerKey, startedAt, inbound: false, error);
            throw error;
        }
        catch (Exception ex)
        {
            ResilinkActivitySource.RecordError(activity, ex);
            ReportAttemptFailed(peerKey, startedAt, inbound: false, ex);
            throw;
        }

        activity?.SetTag("resilink.peer.id", connection.PeerKey);
        activity?.SetTag("resilink.connection.id", connection.Id);
        ReportAttemptSucceeded(connection, startedAt);
        RememberAddress(connection.RemotePeer, address.WithoutPeerId());
        Register(connection);
        return connection;
    }

    /// <summary>
    /// Asks for a connection to <paramref name="peer"/> in the background: dials its known addresses with the retry
    /// policy, once at a time per peer. Does nothing if the peer has a live connection or no known address.
    /// </summary>
    internal void RequestConnection(PeerId peer)
    {
        if (GetConnection(peer) is not null || !_knownAddresses.ContainsKey(peer) || Volatile.Read(ref _disposed) != 0
            || !_requestedConnections.TryAdd(peer, 0))
        {
            return;
        }

        _background.Run($"connect {peer}", async () =>
        {
            try
            {
                await DialKnownAddressesWithRetryAsync(peer, _shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                LogConnectionRequestFailed(peer, ex.Message);
                LogFailureDetail(ex, "Connecting to", peer);
            }
            finally
            {
                _requestedConnections.TryRemove(peer, out _);
            }
        });
    }

    /// <summary>
    /// One logical connection to <paramref name="peer"/>: its known addresses tried with the retry policy, behind its
    /// circuit breaker (background connection requests and health replacements).
    /// </summary>
    private Task<Libp2pConnection> DialKnownAddressesWithRetryAsync(PeerId peer, CancellationToken cancellationToken) =>
        GuardKnownAddressDialAsync(peer, token => WithConnectingStateAsync(
            peer.ToString(),
            ct => WithRetryAsync($"Dialing {peer} at its known addresses", c => TryKnownAddressesAsync(peer, c), ct),
            token), cancellationToken);

    private async Task<Libp2pConnection> GetOrDialAsync(PeerId peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ThrowIfDisposed();
        return GetConnection(peer) ?? await DialKnownAddressAsync(peer, cancellationToken).ConfigureAwait(false);
    }

    private Task<Libp2pConnection> DialKnownAddressAsync(PeerId peer, CancellationToken cancellationToken) =>
        GuardKnownAddressDialAsync(
            peer,
            token => WithConnectingStateAsync(peer.ToString(), ct => TryKnownAddressesAsync(peer, ct), token),
            cancellationToken);

    private async Task<Libp2pConnection> TryKnownAddressesAsync(PeerId peer, CancellationToken cancellationToken)
    {
        if (!_knownAddresses.TryGetValue(peer, out var addresses) || addresses.IsEmpty)
        {
            throw new PeerNotConnectedException(peer);
        }
        var errors = new List<Exception>();
        foreach (var address in addresses)
        {
            try
            {
                return await DialOnceAsync(address.Encapsulate("/p2p/" + peer), peer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                errors.Add(ex);
            }
        }
        throw new IOException(
            $"Could not dial any known address of {peer}: " + string.Join("; ", errors.Select(e => e.Message)),
            errors.Count == 1 ? errors[0] : new AggregateException(errors));
    }
}

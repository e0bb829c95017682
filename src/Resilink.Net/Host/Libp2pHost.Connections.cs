using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

// Connection lifecycle: registration, identify on connect, clean-up when a session ends, events.
public sealed partial class Libp2pHost
{
    private void Register(Libp2pConnection connection)
    {
        var limit = _options.Connections.MaxConnectionsPerPeer;
        if (connection.Direction == ConnectionDirection.Inbound && CountedTowardsPeerLimit(connection.RemotePeer) >= limit)
        {
            // Over the per-peer limit: the newest inbound goes, politely (go-away, then FIN).
            LogInboundOverPeerLimit(connection.Id, connection.RemotePeer, limit);
            ReportClosed(connection, $"over the per-peer limit of {limit}", peerGone: false);
            _background.Run($"close {connection.Id}", async () => await connection.DisposeAsync().ConfigureAwait(false));
            return;
        }

        connection.StreamOpenedObserver = OnStreamOpened;
        connection.FailureObserver = OnConnectionFailure;
        if (_connections.Add(connection))
        {
            ReportPeerConnected(connection);
        }
        if (connection.Direction == ConnectionDirection.Inbound)
        {
            Interlocked.Increment(ref _inboundConnections);
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Finished upgrading after DisposeAsync took its snapshot: nobody else will close it.
            Unregister(connection);
            connection.Abort();
            throw new ObjectDisposedException(nameof(Libp2pHost));
        }
        LogConnectionOpened(connection.Id, connection.Direction, connection.RemotePeer, connection.RemoteAddress);
        StartMonitoring(connection);
        Raise(ConnectionOpened, connection, nameof(ConnectionOpened));
        _background.Run($"streams {connection.Id}", () => AcceptStreamsAsync(connection));
        _background.Run($"watch {connection.Id}", () => WatchAsync(connection));
        if (_options.IdentifyOnConnect)
        {
            _background.Run($"identify {connection.Id}", () => IdentifyOnConnectAsync(connection));
        }
    }

    /// <summary>
    /// The live connections to <paramref name="peer"/> that count towards the per-peer limit: not the ones being
    /// retired for bad health, which are already on their way out and are what the peer's new inbound replaces.
    /// </summary>
    private int CountedTowardsPeerLimit(PeerId peer)
    {
        int count = 0;
        foreach (var live in LiveConnections(peer))
        {
            if (!_retiring.ContainsKey(live.Id))
            {
                count++;
            }
        }
        return count;
    }

    private bool Unregister(Libp2pConnection connection) => Unregister(connection, out _);

    private bool Unregister(Libp2pConnection connection, out bool peerGone)
    {
        if (!_connections.Remove(connection, out peerGone))
        {
            return false;
        }
        if (connection.Direction == ConnectionDirection.Inbound)
        {
            Interlocked.Decrement(ref _inboundConnections);
        }
        return true;
    }

    private async Task WatchAsync(Libp2pConnection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        if (Unregister(connection, out var peerGone))
        {
            LogConnectionClosed(connection.Id, connection.RemotePeer, connection.CloseReason?.Message ?? "closed");
            ReportClosed(connection, connection.CloseReason?.Message ?? "closed", peerGone);
            connection.FailIdentify(new IOException($"Connection {connection.Id} closed before identify completed."));
            StopMonitoring(connection);
            Raise(ConnectionClosed, connection, nameof(ConnectionClosed));
            if (peerGone)
            {
                OnPeerLost(connection.RemotePeer);
            }
        }
        // The session ended (the peer left, or an error): release the socket, which the transport connection owns.
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task IdentifyOnConnectAsync(Libp2pConnection connection)
    {
        try
        {
            using var timeout = StartTimeout(_options.Connections.ConnectionTimeout);
            var info = await IdentifyProtocol.RequestAsync(connection, timeout.Token).ConfigureAwait(false);
            foreach (var address in info.ListenAddresses)
            {
                RememberAddress(connection.RemotePeer, address.WithoutPeerId(), source: "identify");
            }
            connection.CompleteIdentify(info);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or TimeoutException or OperationCanceledException or YamuxException)
        {
            LogIdentifyFailed(ex, connection.RemotePeer, connection.Id);
            connection.FailIdentify(ex);
        }
    }

    private void Raise(EventHandler<Libp2pConnectionEventArgs>? handler, Libp2pConnection connection, string eventName)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(this, new Libp2pConnectionEventArgs(connection));
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the connection lifecycle.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSubscriberFailed(ex, eventName);
        }
    }
}

using System.Collections.Concurrent;
using Resilink.Monitoring;
using Resilink.Net.Identity;
using Resilink.Net.Negotiation;
using Resilink.Net.Security.Noise;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

// What the host tells its IConnectionMonitor: attempts, state transitions, peers, streams, errors, bytes.
public sealed partial class Libp2pHost
{
    private readonly ConcurrentDictionary<PeerId, byte> _discoveredPeers = new();

    /// <summary>
    /// Where this host reports connection attempts, state transitions, streams, errors, bytes and peers (and where an
    /// application reports its own messages and buffers). <see cref="NullConnectionMonitor"/> unless one was given.
    /// </summary>
    public IConnectionMonitor ConnectionMonitor { get; }

    /// <summary>A short, stable error kind for metrics (a bounded set: never a message).</summary>
    internal static string ErrorTypeOf(Exception error) => error switch
    {
        TimeoutException => "timeout",
        PeerIdMismatchException => "peer_id_mismatch",
        NoiseHandshakeException => "security_handshake",
        ProtocolNegotiationException => "protocol_negotiation",
        System.Net.Sockets.SocketException socket => SocketErrorType(socket),
        IOException { InnerException: System.Net.Sockets.SocketException socket } => SocketErrorType(socket),
        IOException => "io",
        OperationCanceledException => "cancelled",
        _ => error.GetType().Name,
    };

    private static string SocketErrorType(System.Net.Sockets.SocketException socket) =>
        "socket_" + socket.SocketErrorCode.ToString().ToLowerInvariant();

    private void ReportAttemptSucceeded(Libp2pConnection connection, long startedAt)
    {
        bool inbound = connection.Direction == ConnectionDirection.Inbound;
        ConnectionMonitor.OnConnectionAttempt(new(connection.PeerKey, AttemptOutcome.Success, _timeProvider.GetElapsedTime(startedAt), null, inbound));
        ReportDiscovered(connection.RemotePeer, inbound ? "inbound" : "dial");
    }

    private void ReportAttemptFailed(string peerKey, long startedAt, bool inbound, Exception error)
    {
        var outcome = error is TimeoutException ? AttemptOutcome.Timeout : AttemptOutcome.Failure;
        var type = ErrorTypeOf(error);
        ConnectionMonitor.OnConnectionAttempt(new(peerKey, outcome, _timeProvider.GetElapsedTime(startedAt), type, inbound));
        ConnectionMonitor.OnError(new(null, peerKey, type, error.Message));
    }

    /// <summary>The session has ended (closing is over by the time we learn of it, so both steps are reported together).</summary>
    private void ReportClosed(Libp2pConnection connection, string reason, bool peerGone)
    {
        ReportBytes(connection);
        ConnectionMonitor.OnConnectionStateChanged(new(connection.Id, connection.PeerKey, ConnectionState.Connected, ConnectionState.Disconnecting, reason));
        ConnectionMonitor.OnConnectionStateChanged(new(connection.Id, connection.PeerKey, ConnectionState.Disconnecting, ConnectionState.Disconnected, reason));
        if (peerGone)
        {
            ConnectionMonitor.OnPeer(new(connection.PeerKey, PeerChange.Lost, null));
        }
    }

    private void ReportPeerConnected(Libp2pConnection connection) =>
        ConnectionMonitor.OnPeer(new(connection.PeerKey, PeerChange.Connected, null));

    private void ReportDiscovered(PeerId peer, string source)
    {
        if (_discoveredPeers.TryAdd(peer, 0))
        {
            ConnectionMonitor.OnPeer(new(peer.ToString(), PeerChange.Discovered, source));
        }
    }

    private void ReportBytes(Libp2pConnection connection)
    {
        var (bytesIn, bytesOut) = connection.TakeUnreportedBytes();
        if (bytesIn > 0 || bytesOut > 0)
        {
            ConnectionMonitor.OnBytesTransferred(new(connection.Id, connection.PeerKey, bytesIn, bytesOut));
        }
    }

    private void OnStreamOpened(Libp2pConnection connection)
    {
        ConnectionMonitor.OnStream(new(connection.Id, connection.PeerKey, StreamOutcome.Opened, null));
        HealthMonitor?.ReportStreamOpened(connection);
    }

    private void OnConnectionFailure(Libp2pConnection connection, string errorType, string message)
    {
        var outcome = errorType == "stream_reset" ? StreamOutcome.Reset : StreamOutcome.Failed;
        ConnectionMonitor.OnStream(new(connection.Id, connection.PeerKey, outcome, errorType));
        ConnectionMonitor.OnError(new(connection.Id, connection.PeerKey, errorType, message));
        HealthMonitor?.ReportStreamFailure(connection, errorType, message);
    }

    /// <summary>Reports the bytes of every connection every <see cref="Libp2pHostOptions.MetricsInterval"/> (only with a real monitor).</summary>
    private async Task ReportBytesLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.MetricsInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_shutdown.Token).ConfigureAwait(false))
            {
                foreach (var connection in _connections.All())
                {
                    ReportBytes(connection);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host disposed.
        }
    }
}

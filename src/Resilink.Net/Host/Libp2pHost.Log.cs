using Microsoft.Extensions.Logging;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

public sealed partial class Libp2pHost
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Host {PeerId} listening on {Address}")]
    private partial void LogListening(PeerId peerId, Multiaddr address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened ({Direction}) to {RemotePeer} at {RemoteAddress}")]
    private partial void LogConnectionOpened(string connectionId, ConnectionDirection direction, PeerId remotePeer, Multiaddr remoteAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} to {RemotePeer} closed: {Reason}")]
    private partial void LogConnectionClosed(string connectionId, PeerId remotePeer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound connection from {RemoteAddress} failed its upgrade")]
    private partial void LogInboundUpgradeFailed(Exception exception, Multiaddr remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused inbound connection from {RemoteAddress}: MaxInboundConnections ({Limit}) reached")]
    private partial void LogInboundRefused(Multiaddr remoteAddress, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "One of several dials to {Address} failed: {Error}")]
    private partial void LogDialFailed(Multiaddr address, string error);

    /// <summary>The exception behind a failure already logged as one line: its stack trace, at Debug only.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "{What} {Target} failed with")]
    private partial void LogFailureDetail(Exception exception, string what, object target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing inbound connection {ConnectionId} from {RemotePeer}: MaxConnectionsPerPeer ({Limit}) reached")]
    private partial void LogInboundOverPeerLimit(string connectionId, PeerId remotePeer, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting on {Address} failed")]
    private partial void LogAcceptFailed(Exception exception, Multiaddr address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound stream on {ConnectionId} failed negotiation")]
    private partial void LogStreamNegotiationFailed(Exception exception, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler for {Protocol} on {ConnectionId} failed; stream reset")]
    private partial void LogHandlerFailed(Exception exception, string protocol, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream for {Protocol} on {ConnectionId} ended by a reset: {Reason}")]
    private partial void LogHandlerStreamReset(string protocol, string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Identify with {RemotePeer} on {ConnectionId} failed")]
    private partial void LogIdentifyFailed(Exception exception, PeerId remotePeer, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {EventName} subscriber threw")]
    private partial void LogSubscriberFailed(Exception exception, string eventName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opening a stream on {ConnectionId} failed; trying the next connection")]
    private partial void LogStreamOpenFailed(Exception exception, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replacing connection {ConnectionId} to {RemotePeer}: {Reason}")]
    private partial void LogReplacing(string connectionId, PeerId remotePeer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} replaced by {ReplacementId} to {RemotePeer}")]
    private partial void LogReplaced(string connectionId, string replacementId, PeerId remotePeer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replacement {ReplacementId} for {ConnectionId} to {RemotePeer} closed before its first health check ({Reason}); trying again")]
    private partial void LogReplacementLost(string replacementId, string connectionId, PeerId remotePeer, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not replace connection {ConnectionId} to {RemotePeer}: {Error}")]
    private partial void LogReplacementFailed(string connectionId, PeerId remotePeer, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing connection {ConnectionId} to {RemotePeer} ({Status}, {ActiveStreams} streams still open)")]
    private partial void LogRetiring(string connectionId, PeerId remotePeer, Resilink.Health.HealthStatus status, int activeStreams);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not connect to {RemotePeer} at any known address: {Error}")]
    private partial void LogConnectionRequestFailed(PeerId remotePeer, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept-alive peer {RemotePeer} has no connection left; re-dialing it")]
    private partial void LogKeepAliveReconnecting(PeerId remotePeer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Re-dialing {RemotePeer} waits {Wait} for its circuit breaker")]
    private partial void LogKeepAliveWaitingForBreaker(PeerId remotePeer, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped re-dialing {RemotePeer}; it stays kept alive and is re-dialed after its next connection drops, or on KeepAlive")]
    private partial void LogKeepAliveGaveUp(PeerId remotePeer);
}

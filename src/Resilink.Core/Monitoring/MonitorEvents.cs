using Resilink.Health;

namespace Resilink.Monitoring;

/// <summary>Whether a connection attempt succeeded.</summary>
public enum AttemptOutcome
{
    /// <summary>Connected.</summary>
    Success = 0,

    /// <summary>Failed with an error.</summary>
    Failure = 1,

    /// <summary>Ran out of time.</summary>
    Timeout = 2,
}

/// <summary>How a stream ended up, as reported by the connection it ran on.</summary>
public enum StreamOutcome
{
    /// <summary>Opened and negotiated.</summary>
    Opened = 0,

    /// <summary>Could not be opened or negotiated.</summary>
    Failed = 1,

    /// <summary>Reset by the remote peer after it was opened.</summary>
    Reset = 2,
}

/// <summary>What happened to a peer.</summary>
public enum PeerChange
{
    /// <summary>Learned of (an address or a first inbound connection).</summary>
    Discovered = 0,

    /// <summary>Its first live connection came up.</summary>
    Connected = 1,

    /// <summary>Its last live connection went away.</summary>
    Lost = 2,
}

/// <summary>The states of a circuit breaker guarding a peer or endpoint (Polly's names).</summary>
public enum CircuitState
{
    /// <summary>Calls flow.</summary>
    Closed = 0,

    /// <summary>Calls fail fast until the break ends.</summary>
    Open = 1,

    /// <summary>One trial call decides.</summary>
    HalfOpen = 2,

    /// <summary>Held open by hand.</summary>
    Isolated = 3,
}

/// <summary>One connection attempt (dial or accept) ended.</summary>
/// <param name="PeerKey">The peer or endpoint (the address when the peer is not known yet).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ErrorType">A short error kind when it failed, else null.</param>
/// <param name="Inbound">True for accepted connections, false for dials.</param>
public readonly record struct ConnectionAttemptEvent(string PeerKey, AttemptOutcome Outcome, TimeSpan Duration, string? ErrorType, bool Inbound);

/// <summary>A connection moved between <see cref="ConnectionState"/>s.</summary>
/// <param name="ConnectionId">The connection, or null while it has no identifier yet (connecting).</param>
/// <param name="PeerKey">The peer or endpoint.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state now.</param>
/// <param name="Reason">Why, when it is not the normal course.</param>
public readonly record struct ConnectionStateEvent(string? ConnectionId, string PeerKey, ConnectionState From, ConnectionState To, string? Reason);

/// <summary>A round trip was measured on a connection.</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="PeerKey">Its peer.</param>
/// <param name="Rtt">The round-trip time.</param>
public readonly record struct RttSampleEvent(string ConnectionId, string PeerKey, TimeSpan Rtt);

/// <summary>Bytes moved on a connection since the previous report for it.</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="PeerKey">Its peer.</param>
/// <param name="BytesIn">Received since the last report.</param>
/// <param name="BytesOut">Sent since the last report.</param>
public readonly record struct BytesTransferredEvent(string ConnectionId, string PeerKey, long BytesIn, long BytesOut);

/// <summary>A stream outcome on a connection.</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="PeerKey">Its peer.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="ErrorType">A short error kind for failures and resets, else null.</param>
public readonly record struct StreamEvent(string ConnectionId, string PeerKey, StreamOutcome Outcome, string? ErrorType);

/// <summary>An error, by type.</summary>
/// <param name="ConnectionId">The connection, if the error belongs to one.</param>
/// <param name="PeerKey">The peer or endpoint.</param>
/// <param name="ErrorType">A short, stable kind (bounded set: becomes a metric tag).</param>
/// <param name="Message">What happened, for people (never a metric tag).</param>
public readonly record struct ConnectionErrorEvent(string? ConnectionId, string PeerKey, string ErrorType, string Message);

/// <summary>A circuit breaker changed state.</summary>
/// <param name="PeerKey">The peer or endpoint it guards.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state now.</param>
public readonly record struct CircuitBreakerEvent(string PeerKey, CircuitState From, CircuitState To);

/// <summary>A peer was discovered, connected or lost.</summary>
/// <param name="PeerKey">The peer.</param>
/// <param name="Change">What happened.</param>
/// <param name="Source">How it was learned (e.g. <c>dial</c>, <c>inbound</c>, <c>identify</c>) for discoveries.</param>
public readonly record struct PeerEvent(string PeerKey, PeerChange Change, string? Source);

/// <summary>An application message was sent or received.</summary>
/// <param name="PeerKey">The peer.</param>
/// <param name="MessageType">The message type (bounded set: becomes a metric tag).</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Latency">Delivery or round-trip latency, when known.</param>
/// <param name="Outbound">True if sent, false if received.</param>
public readonly record struct MessageEvent(string PeerKey, string MessageType, long SizeBytes, TimeSpan? Latency, bool Outbound);

/// <summary>Messages waiting for a peer without a healthy connection changed in number.</summary>
/// <param name="PeerKey">The peer.</param>
/// <param name="Delta">Added (positive) or drained/dropped (negative).</param>
public readonly record struct BufferedMessagesEvent(string PeerKey, int Delta);

/// <summary>A connection pool's use changed.</summary>
/// <param name="PoolName">The pool.</param>
/// <param name="InUse">Connections lent out (leases out: a shared connection counts once per lease).</param>
/// <param name="Capacity">The most the pool can lend at once: its maximum size (times the leases one connection may have out, for shared connections).</param>
/// <param name="Waiters">Acquirers waiting for a lease; 0 when the reporter does not count them.</param>
public readonly record struct PoolUtilizationEvent(string PoolName, int InUse, int Capacity, int Waiters = 0);

/// <summary>A connection's health status changed (see <see cref="HealthMonitor"/>).</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="PeerKey">Its peer.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status now.</param>
/// <param name="Score">The health score at the change.</param>
public readonly record struct HealthStatusEvent(string ConnectionId, string PeerKey, HealthStatus From, HealthStatus To, double Score);

namespace Resilink.Telemetry;

/// <summary>
/// The names of the instruments on the <see cref="ResilinkTelemetryConstants.MeterName"/> meter. OpenTelemetry style:
/// dotted, lowercase, base units (seconds, bytes). In Prometheus (the OpenTelemetry exporter) dots become underscores,
/// counters end in <c>_total</c> and the unit is appended (<c>_seconds</c>, <c>_bytes</c>; unit <c>1</c> and
/// <c>{…}</c> annotations add nothing), e.g. <see cref="ConnectionRtt"/> is <c>resilink_connection_rtt_seconds</c> and
/// <see cref="PoolUtilization"/> is <c>resilink_pool_utilization</c>.
/// </summary>
public static class ResilinkMetricNames
{
    /// <summary>Connection attempts that ended (counter, <c>{attempt}</c>; tags <c>outcome</c>, <c>direction</c>).</summary>
    public const string ConnectionAttempts = "resilink.connection.attempts";

    /// <summary>Connection state changes (counter, <c>{transition}</c>; tags <c>from</c>, <c>to</c>).</summary>
    public const string ConnectionStateTransitions = "resilink.connection.state_transitions";

    /// <summary>Connections by state (up-down counter, <c>{connection}</c>; tag <c>state</c>).</summary>
    public const string ConnectionsActive = "resilink.connections.active";

    /// <summary>How long connections stayed connected (histogram, seconds).</summary>
    public const string ConnectionDuration = "resilink.connection.duration";

    /// <summary>Round-trip times (histogram, seconds).</summary>
    public const string ConnectionRtt = "resilink.connection.rtt";

    /// <summary>Bytes moved on connections (counter, bytes; tag <c>direction</c>).</summary>
    public const string ConnectionBytes = "resilink.connection.bytes";

    /// <summary>Errors by type (counter, <c>{error}</c>; tag <c>error.type</c>).</summary>
    public const string ConnectionErrors = "resilink.connection.errors";

    /// <summary>Stream outcomes (counter, <c>{stream}</c>; tag <c>outcome</c>).</summary>
    public const string Streams = "resilink.streams";

    /// <summary>Circuit breakers in each state (up-down counter, <c>{breaker}</c>; tag <c>state</c>).</summary>
    public const string CircuitBreakerState = "resilink.circuit_breaker.state";

    /// <summary>Peers with at least one live connection (up-down counter, <c>{peer}</c>).</summary>
    public const string PeersConnected = "resilink.peers.connected";

    /// <summary>Peers discovered (counter, <c>{peer}</c>; tag <c>source</c>).</summary>
    public const string PeersDiscovered = "resilink.peers.discovered";

    /// <summary>Peers whose last connection went away (counter, <c>{peer}</c>).</summary>
    public const string PeersLost = "resilink.peers.lost";

    /// <summary>Application messages (counter, <c>{message}</c>; tags <c>message.type</c>, <c>direction</c>).</summary>
    public const string Messages = "resilink.messages";

    /// <summary>Application message sizes (histogram, bytes; tag <c>message.type</c>).</summary>
    public const string MessageSize = "resilink.message.size";

    /// <summary>Application message latencies (histogram, seconds; tag <c>message.type</c>).</summary>
    public const string MessageLatency = "resilink.message.latency";

    /// <summary>Messages waiting for a usable connection (up-down counter, <c>{message}</c>).</summary>
    public const string MessagesBuffered = "resilink.messages.buffered";

    /// <summary>Share of a pool's capacity lent out, 0 to 1 (gauge, <c>1</c>; tag <c>pool</c>).</summary>
    public const string PoolUtilization = "resilink.pool.utilization";

    /// <summary>Acquirers waiting for a lease, per pool (gauge, <c>{waiter}</c>; tag <c>pool</c>).</summary>
    public const string PoolWaiters = "resilink.pool.waiters";

    /// <summary>Connection health status changes (counter, <c>{transition}</c>; tag <c>to</c>).</summary>
    public const string ConnectionHealthTransitions = "resilink.connection.health_transitions";

    /// <summary>Re-dial attempts of lost connections (counter, <c>{attempt}</c>; tag <c>outcome</c>: <c>success</c>/<c>failure</c>).</summary>
    public const string ReconnectAttempts = "resilink.reconnect.attempts";

    /// <summary>Reconnections that ended (counter, <c>{reconnection}</c>; tag <c>outcome</c>: <c>success</c>/<c>gave_up</c>).</summary>
    public const string Reconnections = "resilink.reconnections";

    /// <summary>Replacements started for sick connections (counter, <c>{replacement}</c>; tag <c>reason</c>: <c>unhealthy</c>/<c>dead</c>/<c>broken</c>).</summary>
    public const string ConnectionReplacements = "resilink.connection.replacements";

    /// <summary>
    /// Failover state changes (counter, <c>{transition}</c>; tags <c>from</c>, <c>to</c>: <c>primary</c>, <c>secondary</c>,
    /// <c>failing_over</c>, <c>failing_back</c>, <c>unavailable</c>). A completed failover is <c>to="secondary"</c> from
    /// <c>failing_over</c>, a completed failback <c>to="primary"</c> from <c>failing_back</c>.
    /// </summary>
    public const string FailoverTransitions = "resilink.failover.transitions";

    /// <summary>Circuit breakers that tripped, i.e. entered the open state (counter, <c>{trip}</c>).</summary>
    public const string CircuitBreakerTrips = "resilink.circuit_breaker.trips";
}

namespace Resilink.Hosting.Dashboard;

// The JSON the dashboard page reads (/api/dashboard/snapshot, the SSE events, /api/dashboard/history). Statuses and
// states are their enum names ("Healthy", "Open") so the page can use them as CSS classes and data attributes as-is.

/// <summary>Everything the page shows at one moment.</summary>
internal sealed record DashboardSnapshot(
    string NodePeerId,
    DateTimeOffset Timestamp,
    DashboardTotals Totals,
    IReadOnlyList<DashboardPeer> Peers,
    DashboardResilience Resilience,
    IReadOnlyList<DashboardAlert> ActiveAlerts,
    IReadOnlyList<DashboardAlert> RecentAlerts);

/// <summary>Counts over the open connections (closed ones kept for display are not counted).</summary>
internal sealed record DashboardTotals(int Peers, int Connections, double AverageHealth, IReadOnlyDictionary<string, int> ConnectionsByStatus);

/// <summary>One peer: aggregate status, its circuit breaker and its connections (open ones, then recently closed ones).</summary>
internal sealed record DashboardPeer(string PeerId, string Status, double AverageScore, string Circuit, bool KeptAlive, IReadOnlyList<DashboardConnection> Connections);

/// <summary>One connection's row. A closed one keeps its last known figures and the status it had when it went.</summary>
internal sealed record DashboardConnection(
    string Id,
    string PeerId,
    string Status,
    double Score,
    double RttP50Ms,
    double RttP95Ms,
    int ActiveStreams,
    double BytesInPerSecond,
    double BytesOutPerSecond,
    double AgeSeconds,
    bool Routable,
    long PingsSent,
    long PingsFailed,
    bool Closed,
    DateTimeOffset? ClosedAt);

/// <summary>
/// Circuit breaking and re-dialing. There is no failover state: a libp2p node has no primary/secondary pair (that is
/// <c>ConnectionPool</c>'s); it keeps several connections per peer and replaces sick ones instead.
/// </summary>
/// <param name="CircuitBreaking">Whether per-peer circuit breakers are on (each peer's state is on its row).</param>
/// <param name="Reconnection">Keep-alive re-dialing totals.</param>
internal sealed record DashboardResilience(bool CircuitBreaking, DashboardReconnection Reconnection);

/// <summary>Keep-alive re-dialing totals.</summary>
internal sealed record DashboardReconnection(long Attempts, long FailedAttempts, long Successes, long GiveUps, double MeanSecondsToReconnect);

/// <summary>An alert, active or resolved.</summary>
internal sealed record DashboardAlert(
    string Id, string Rule, string Level, string Service, string Message, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Count, DateTimeOffset? ResolvedAt);

/// <summary>The <c>status</c> event: one connection's health status changed.</summary>
internal sealed record DashboardStatusChange(
    string ConnectionId, string PeerId, string Previous, string Current, double Score, string Reason, DateTimeOffset Timestamp);

/// <summary>The <c>circuit</c> event: a peer's circuit breaker changed state.</summary>
internal sealed record DashboardCircuitChange(string PeerId, string From, string To, DateTimeOffset Timestamp);

/// <summary>The answer of <c>/api/dashboard/history</c>.</summary>
/// <param name="ConnectionId">The connection asked for, or null for all.</param>
/// <param name="Available">False when no history store is registered: the page charts what it has seen live instead.</param>
/// <param name="Samples">Its stored samples, oldest first.</param>
/// <param name="StatusChanges">Its stored status changes, oldest first.</param>
internal sealed record DashboardHistory(string? ConnectionId, bool Available, IReadOnlyList<DashboardSample> Samples, IReadOnlyList<DashboardStatusChange> StatusChanges);

/// <summary>One stored health sample of a connection.</summary>
internal sealed record DashboardSample(DateTimeOffset Timestamp, string Status, double Score, double RttP50Ms, double RttP95Ms);

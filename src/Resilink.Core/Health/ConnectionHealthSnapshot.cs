namespace Resilink.Health;

/// <summary>Everything known about one connection's health at one moment. Immutable.</summary>
public sealed record ConnectionHealthSnapshot
{
    /// <summary>Gets the connection's identifier.</summary>
    public required string ConnectionId { get; init; }

    /// <summary>Gets the peer (or endpoint) the connection leads to.</summary>
    public required string PeerKey { get; init; }

    /// <summary>Gets the health status.</summary>
    public required HealthStatus Status { get; init; }

    /// <summary>Gets the health score, 0..1 (see <see cref="HealthOptions"/> for the formula).</summary>
    public required double Score { get; init; }

    /// <summary>Gets the latency part of the score, 0..1.</summary>
    public required double LatencyScore { get; init; }

    /// <summary>Gets the ping success part of the score, 0..1.</summary>
    public required double SuccessScore { get; init; }

    /// <summary>Gets the stability part of the score, 0..1.</summary>
    public required double StabilityScore { get; init; }

    /// <summary>Gets the failure detector's phi now (0 = answering as expected; <see cref="HealthOptions.PhiThreshold"/> or more = Dead).</summary>
    public required double Phi { get; init; }

    /// <summary>Gets the ping round-trip statistics.</summary>
    public required RttStatistics Rtt { get; init; }

    /// <summary>Gets the pings sent (answered or not).</summary>
    public required long PingsSent { get; init; }

    /// <summary>Gets the pings that failed or timed out.</summary>
    public required long PingsFailed { get; init; }

    /// <summary>Gets the ping success rate over the last <see cref="HealthOptions.PingSuccessWindowSize"/> pings; 1 before any.</summary>
    public required double PingSuccessRate { get; init; }

    /// <summary>Gets the pings failed in a row since the last answer.</summary>
    public required int ConsecutivePingFailures { get; init; }

    /// <summary>Gets the streams open on the connection now.</summary>
    public required int ActiveStreams { get; init; }

    /// <summary>Gets the streams opened in total.</summary>
    public required long StreamsOpened { get; init; }

    /// <summary>Gets the streams that failed (open failures, resets, timeouts) in total.</summary>
    public required long FailedStreams { get; init; }

    /// <summary>Gets when the connection opened.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>Gets how long the connection has been open.</summary>
    public required TimeSpan Age { get; init; }

    /// <summary>Gets bytes in and out, totals and rates.</summary>
    public required BandwidthStatistics Bandwidth { get; init; }

    /// <summary>Gets when the status last changed; null if it never did.</summary>
    public required DateTimeOffset? LastStatusChange { get; init; }

    /// <summary>Gets a value indicating whether the connection receives new streams (not excluded for bad health).</summary>
    public required bool IsRoutable { get; init; }

    /// <summary>Gets the most recent errors, oldest first (at most <see cref="HealthOptions.HistorySize"/>).</summary>
    public required IReadOnlyList<HealthError> RecentErrors { get; init; }

    /// <summary>Gets the most recent lifecycle events, oldest first (at most <see cref="HealthOptions.HistorySize"/>).</summary>
    public required IReadOnlyList<ConnectionLifecycleEvent> RecentEvents { get; init; }
}

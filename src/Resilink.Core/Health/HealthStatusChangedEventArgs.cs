namespace Resilink.Health;

/// <summary>A connection's health status changed.</summary>
public sealed class HealthStatusChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="HealthStatusChangedEventArgs"/> class.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="peerKey">Its peer.</param>
    /// <param name="previous">The status before.</param>
    /// <param name="current">The status now.</param>
    /// <param name="score">The score at the change.</param>
    /// <param name="reason">Why, for people (e.g. "3 pings failed in a row").</param>
    /// <param name="timestamp">When.</param>
    public HealthStatusChangedEventArgs(
        string connectionId, string peerKey, HealthStatus previous, HealthStatus current, double score, string reason, DateTimeOffset timestamp)
    {
        ConnectionId = connectionId;
        PeerKey = peerKey;
        Previous = previous;
        Current = current;
        Score = score;
        Reason = reason;
        Timestamp = timestamp;
    }

    /// <summary>Gets the connection.</summary>
    public string ConnectionId { get; }

    /// <summary>Gets its peer.</summary>
    public string PeerKey { get; }

    /// <summary>Gets the status before.</summary>
    public HealthStatus Previous { get; }

    /// <summary>Gets the status now.</summary>
    public HealthStatus Current { get; }

    /// <summary>Gets the score at the change.</summary>
    public double Score { get; }

    /// <summary>Gets why, for people.</summary>
    public string Reason { get; }

    /// <summary>Gets when.</summary>
    public DateTimeOffset Timestamp { get; }
}

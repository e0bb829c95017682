namespace Resilink.Health;

/// <summary>
/// What the engine needs from any pooled connection (a libp2p connection or a <c>ConnectionPool&lt;T&gt;</c> entry)
/// so that one health engine and one set of balancing strategies serve both.
/// </summary>
/// <remarks>
/// Implementations must make every member cheap and allocation-free to read: strategies read them on the
/// hot path of every stream selection, possibly from many threads at once.
/// </remarks>
public interface IHealthTracked
{
    /// <summary>Gets a stable identifier of the connection, unique within its pool or swarm.</summary>
    string Id { get; }

    /// <summary>Gets the peer (or endpoint) the connection leads to; connections to the same one share it.</summary>
    string PeerKey { get; }

    /// <summary>Gets when the connection was established.</summary>
    DateTimeOffset OpenedAt { get; }

    /// <summary>
    /// Gets the number of streams currently open on the connection as the connection itself counts them
    /// (inbound and outbound). Used by the least-loaded strategy.
    /// </summary>
    int ActiveStreams { get; }

    /// <summary>
    /// Gets the passive signals (latency, failures, weight, outstanding work, health score) recorded for the
    /// connection. The same instance for the whole life of the connection.
    /// </summary>
    ConnectionLoadStats Stats { get; }

    /// <summary>Gets the bytes received on the connection so far (0 if the connection does not count them).</summary>
    long BytesReceived { get; }

    /// <summary>Gets the bytes sent on the connection so far (0 if the connection does not count them).</summary>
    long BytesSent { get; }

    /// <summary>
    /// Sends one liveness probe over this very connection and returns its round-trip time. The health monitor
    /// applies its own timeout through <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The round-trip time.</returns>
    Task<TimeSpan> PingAsync(CancellationToken cancellationToken);
}

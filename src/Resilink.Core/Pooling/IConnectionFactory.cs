namespace Resilink.Pooling;

/// <summary>
/// Creates, probes and closes the connections of one endpoint for a <c>ConnectionPool&lt;T&gt;</c>: a Redis
/// multiplexer, a database connection, a broker channel — anything the pool should keep healthy.
/// </summary>
/// <typeparam name="T">The connection type.</typeparam>
/// <remarks>
/// The pool applies its own timeouts through the cancellation tokens and never calls <see cref="CloseAsync"/> twice
/// for one connection. Every member may throw; the pool treats an exception as a failed create or probe of that one
/// connection and keeps going.
/// </remarks>
public interface IConnectionFactory<T>
{
    /// <summary>
    /// Gets the endpoint the connections lead to, as the pool names it in health snapshots, events and errors
    /// (for example <c>redis://127.0.0.1:6379</c>); connections of one factory share it.
    /// </summary>
    string Endpoint { get; }

    /// <summary>Opens a new connection to <see cref="Endpoint"/>.</summary>
    /// <param name="cancellationToken">Cancelled when the pool's connection timeout passes or the pool closes.</param>
    /// <returns>The open connection.</returns>
    ValueTask<T> CreateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one liveness probe over <paramref name="connection"/> (a Redis <c>PING</c>, a <c>SELECT 1</c>) and returns
    /// its round-trip time; throws if the connection is not usable.
    /// </summary>
    /// <param name="connection">The connection to probe.</param>
    /// <param name="cancellationToken">Cancelled when the health engine's ping timeout passes.</param>
    /// <returns>The round-trip time of the probe.</returns>
    ValueTask<TimeSpan> CheckHealthAsync(T connection, CancellationToken cancellationToken);

    /// <summary>Closes <paramref name="connection"/> and releases what it holds.</summary>
    /// <param name="connection">The connection to close.</param>
    /// <returns>A task that completes when the connection is closed.</returns>
    ValueTask CloseAsync(T connection);
}

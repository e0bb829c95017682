namespace Resilink.Pooling;

/// <summary>
/// An attempt of a <see cref="ConnectionPool{T}"/> to open a connection failed: the factory threw, or the new connection
/// failed its first health check. An <see cref="IOException"/>, so the pool's reconnector retries it with backoff whatever
/// the factory threw (a Redis or database client's own exception types are not I/O exceptions); the factory's exception
/// is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ConnectionOpenException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="ConnectionOpenException"/> class.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="stage">What failed: <c>create</c> or <c>first health check</c>.</param>
    /// <param name="innerException">What the factory threw.</param>
    public ConnectionOpenException(string endpoint, string stage, Exception innerException)
        : base($"Opening a connection to {endpoint} failed at {stage}: {innerException?.Message}", innerException)
    {
        Endpoint = endpoint;
        Stage = stage;
    }

    /// <summary>Gets the endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>Gets what failed: <c>create</c> or <c>first health check</c>.</summary>
    public string Stage { get; }
}

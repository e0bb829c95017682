using System.Runtime.InteropServices;

namespace Resilink.Pooling;

/// <summary>
/// The use of one pooled connection, from <see cref="ConnectionPool{T}.AcquireAsync"/> until it is disposed. Dispose it
/// exactly once (<c>await using var lease = await pool.AcquireAsync(ct);</c>); disposing it again, or a copy of it, does
/// nothing. A struct over a reused ticket, so acquiring and returning a lease allocates nothing.
/// </summary>
/// <typeparam name="T">The connection type.</typeparam>
/// <remarks>
/// Whether the lease is exclusive depends on <see cref="ConnectionPoolOptions.MaxLeasesPerConnection"/>: with 1, no other
/// lease is out on <see cref="Connection"/> until this one ends; with more, other callers may use it at the same time (it
/// must then be safe for concurrent use, as a Redis multiplexer is). Report a failed operation with
/// <see cref="ReportFailure"/> so the health engine and failover see it.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly struct ConnectionLease<T> : IAsyncDisposable, IDisposable, IEquatable<ConnectionLease<T>>
{
    private readonly LeaseTicket<T>? _ticket;
    private readonly int _version;

    internal ConnectionLease(LeaseTicket<T> ticket, int version)
    {
        _ticket = ticket;
        _version = version;
    }

    /// <summary>Gets the leased connection.</summary>
    /// <exception cref="ObjectDisposedException">The lease has ended.</exception>
    public T Connection => Entry.Connection;

    /// <summary>Gets the id of the pooled connection (as in health snapshots and events), e.g. <c>redis://10.0.0.1:6379#3</c>.</summary>
    /// <exception cref="ObjectDisposedException">The lease has ended.</exception>
    public string ConnectionId => Entry.Id;

    /// <summary>Gets the endpoint of the connection (<see cref="IConnectionFactory{T}.Endpoint"/>).</summary>
    /// <exception cref="ObjectDisposedException">The lease has ended.</exception>
    public string Endpoint => Entry.PeerKey;

    /// <summary>Gets a value indicating whether the lease is still out (not disposed, not a default value).</summary>
    public bool IsActive => _ticket is not null && _ticket.Version == _version;

    private PoolEntry<T> Entry => Read(out _);

    private PoolEntry<T> Read(out ConnectionPool<T> pool)
    {
        // Read before the version check: a ticket is only cleared and reused after its version has moved on.
        if (_ticket is { } ticket && ticket.Pool is { } owner && ticket.Entry is { } entry && ticket.Version == _version)
        {
            pool = owner;
            return entry;
        }
        throw new ObjectDisposedException(nameof(ConnectionLease<T>), "The lease has ended: it was disposed, or it is a default value.");
    }

    /// <summary>
    /// Reports that an operation on <see cref="Connection"/> failed: the health engine counts it against the connection at
    /// once (score, status, the strategies' failure rate) and failover counts it against the endpoint.
    /// </summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="connectionBroken">
    /// True when the error means the connection itself is unusable (a closed socket, a protocol desync): it is then taken
    /// out of rotation at once, closed when its leases return, and replaced.
    /// </param>
    /// <exception cref="ObjectDisposedException">The lease has ended.</exception>
    public void ReportFailure(Exception exception, bool connectionBroken = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var entry = Read(out var pool);
        _ticket!.MarkFailureReported(); // Read succeeded, so this lease's ticket is current
        pool.ReportFailure(entry, exception, connectionBroken);
    }

    /// <summary>Returns the connection to the pool; a second call, or a call on a copy, does nothing.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <summary>Returns the connection to the pool; a second call, or a call on a copy, does nothing.</summary>
    public void Dispose()
    {
        if (_ticket is { } ticket && ticket.Version == _version)
        {
            ticket.Pool?.Return(ticket, _version);
        }
    }

    /// <inheritdoc/>
    public bool Equals(ConnectionLease<T> other) => ReferenceEquals(_ticket, other._ticket) && _version == other._version;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConnectionLease<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_ticket, _version);

    /// <summary>Whether two leases are the same lease.</summary>
    /// <param name="left">One lease.</param>
    /// <param name="right">The other.</param>
    /// <returns>True if they are the same.</returns>
    public static bool operator ==(ConnectionLease<T> left, ConnectionLease<T> right) => left.Equals(right);

    /// <summary>Whether two leases differ.</summary>
    /// <param name="left">One lease.</param>
    /// <param name="right">The other.</param>
    /// <returns>True if they differ.</returns>
    public static bool operator !=(ConnectionLease<T> left, ConnectionLease<T> right) => !left.Equals(right);
}

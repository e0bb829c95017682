namespace Resilink.Pooling;

/// <summary>
/// The mutable half of a <see cref="ConnectionLease{T}"/>, reused from lease to lease so that a lease allocates nothing.
/// Its version moves on when the lease ends, so a copy of an ended lease (or a second dispose) finds it stale and does nothing.
/// </summary>
internal sealed class LeaseTicket<T>
{
    private int _version;
    private int _failureReported;

    public PoolEntry<T>? Entry { get; private set; }

    public ConnectionPool<T>? Pool { get; private set; }

    public int Version => Volatile.Read(ref _version);

    /// <summary>Gets whether a failure was reported on the current lease: its return is then no success of the endpoint.</summary>
    public bool FailureReported => Volatile.Read(ref _failureReported) != 0;

    public void MarkFailureReported() => Volatile.Write(ref _failureReported, 1);

    public int Begin(ConnectionPool<T> pool, PoolEntry<T> entry)
    {
        Pool = pool;
        Entry = entry;
        _failureReported = 0;
        return Volatile.Read(ref _version);
    }

    /// <summary>Ends the lease of <paramref name="version"/>; true exactly once per lease.</summary>
    public bool TryEnd(int version) => Interlocked.CompareExchange(ref _version, version + 1, version) == version;

    public void Clear()
    {
        Entry = null;
        Pool = null;
    }
}

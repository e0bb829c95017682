namespace Resilink.Pooling;

/// <summary>
/// The mutable half of a <see cref="ConnectionLease{T}"/>, reused from lease to lease so that a lease allocates nothing.
/// Its version moves on when the lease ends, so a copy of an ended lease (or a second dispose) finds it stale and does nothing.
/// </summary>
internal sealed class LeaseTicket<T>
{
    private int _version;

    public PoolEntry<T>? Entry { get; private set; }

    public ConnectionPool<T>? Pool { get; private set; }

    public int Version => Volatile.Read(ref _version);

    public int Begin(ConnectionPool<T> pool, PoolEntry<T> entry)
    {
        Pool = pool;
        Entry = entry;
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

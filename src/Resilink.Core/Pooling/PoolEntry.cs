using Resilink.Health;

namespace Resilink.Pooling;

/// <summary>
/// One pooled connection as the health engine and the strategies see it: its active streams are the leases out on it,
/// and its ping is the factory's health check. Lease counting is lock-free; the state changes once or twice in its life.
/// </summary>
internal sealed class PoolEntry<T> : IHealthTracked
{
    private const int Active = 0;
    private const int Retiring = 1;
    private const int Closed = 2;

    private int _leases;
    private int _state;
    private int _touched;
    private volatile bool _reportedBroken;

    public PoolEntry(string id, IConnectionFactory<T> factory, T connection, TimeProvider timeProvider)
    {
        Id = id;
        Factory = factory;
        PeerKey = factory.Endpoint;
        Connection = connection;
        OpenedAt = timeProvider.GetUtcNow();
        Stats = new ConnectionLoadStats(timeProvider);
        IdleSince = timeProvider.GetTimestamp();
    }

    public string Id { get; }

    public string PeerKey { get; }

    public DateTimeOffset OpenedAt { get; }

    public int ActiveStreams => Volatile.Read(ref _leases);

    public ConnectionLoadStats Stats { get; }

    public long BytesReceived => 0;

    public long BytesSent => 0;

    public IConnectionFactory<T> Factory { get; }

    public T Connection { get; }

    public int Leases => Volatile.Read(ref _leases);

    public bool IsActive => Volatile.Read(ref _state) == Active;

    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>When the entry last had no lease out, as seen by the sizing samples (a <see cref="TimeProvider"/> timestamp).</summary>
    public long IdleSince { get; set; }

    /// <summary>When it was retired; 0 while active.</summary>
    public long RetiredAt { get; private set; }

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) =>
        Factory.CheckHealthAsync(Connection, cancellationToken).AsTask();

    /// <summary>
    /// Takes one lease if the entry is active and has one free. Retire sets the state before it reads the count, so the
    /// caller checks <see cref="IsActive"/> after a claim and returns a lease taken while it ran.
    /// </summary>
    public bool TryClaim(int maxLeases)
    {
        int current = Volatile.Read(ref _leases);
        while (current < maxLeases && Volatile.Read(ref _state) == Active)
        {
            int seen = Interlocked.CompareExchange(ref _leases, current + 1, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }

    /// <summary>Returns one lease; the leases still out.</summary>
    public int Unclaim()
    {
        Volatile.Write(ref _touched, 1);
        return Interlocked.Decrement(ref _leases);
    }

    /// <summary>Whether a lease was taken or returned since the previous call (for the idle clock of the sizing samples).</summary>
    public bool TakeTouched() => Interlocked.Exchange(ref _touched, 0) != 0;

    /// <summary>Takes the entry out of rotation; false if it already was.</summary>
    public bool TryRetire(long timestamp)
    {
        if (Interlocked.CompareExchange(ref _state, Retiring, Active) != Active)
        {
            return false;
        }
        RetiredAt = timestamp;
        return true;
    }

    /// <summary>
    /// Whether a lease reported the connection broken: its close then ends it <see cref="HealthStatus.Dead"/>; every other
    /// close is the pool's own decision and ends it <see cref="HealthStatus.Closed"/>.
    /// </summary>
    public bool ReportedBroken => _reportedBroken;

    /// <summary>Notes that a lease reported the connection broken.</summary>
    public void MarkReportedBroken() => _reportedBroken = true;

    /// <summary>Marks the entry closed; true exactly once, for the caller that must close the connection.</summary>
    public bool TryMarkClosed() => Interlocked.Exchange(ref _state, Closed) != Closed;

    public override string ToString() => Id;
}

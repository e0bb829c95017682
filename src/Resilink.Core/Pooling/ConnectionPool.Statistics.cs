using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Pooling;

// What the pool reports about itself: its own sizes and counters, and those of the health engine, the reconnector and
// the failover controller it is built on.
public sealed partial class ConnectionPool<T>
{
    /// <summary>Gets the pool's sizes and counters now.</summary>
    /// <returns>The snapshot.</returns>
    public ConnectionPoolStatistics GetStatistics()
    {
        lock (_lock)
        {
            var current = _current;
            var (leases, busy) = CountLeasesLocked();
            int draining = 0;
            foreach (var entry in _entries)
            {
                draining += entry.IsActive ? 0 : 1;
            }
            return new ConnectionPoolStatistics(
                current?.Endpoint,
                _routable.Length,
                _minSize,
                _maxSize,
                current is null ? 0 : OpeningLocked(current),
                draining,
                leases,
                busy,
                Volatile.Read(ref _waiting),
                Interlocked.Read(ref _acquired),
                Interlocked.Read(ref _released),
                Interlocked.Read(ref _acquireTimeouts),
                Interlocked.Read(ref _opened),
                Interlocked.Read(ref _closed),
                Interlocked.Read(ref _openFailures),
                _retired);
        }
    }

    /// <summary>
    /// Gets the health of every open connection (in rotation or draining), grouped by endpoint: one
    /// <see cref="PeerHealthSnapshot"/> per endpoint with connections, the same shapes as a libp2p host's health summary.
    /// </summary>
    /// <returns>The summary.</returns>
    public NetworkHealthSummary GetHealthStatistics()
    {
        PoolEntry<T>[] entries;
        lock (_lock)
        {
            entries = [.. _entries];
        }
        var endpoints = entries
            .GroupBy(e => e.PeerKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => PeerHealthSnapshot.Aggregate(g.Key, [.. g.Select(e => HealthMonitor.Snapshot(e)).OfType<ConnectionHealthSnapshot>()]))
            .ToList();
        return NetworkHealthSummary.Create(endpoints, _timeProvider.GetUtcNow());
    }

    /// <summary>Gets the reconnector's counters: every attempt to open a connection of this pool.</summary>
    /// <returns>The snapshot.</returns>
    public ReconnectionStatistics GetReconnectionStatistics() => Reconnector.Statistics;

    /// <summary>Gets the failover controller's counters and clocks; null for a pool without a secondary.</summary>
    /// <returns>The snapshot or null.</returns>
    public FailoverStatistics? GetFailoverStatistics() => Failover?.Statistics;
}

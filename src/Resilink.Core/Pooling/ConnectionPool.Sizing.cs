using Resilink.Monitoring;

namespace Resilink.Pooling;

// Maintenance, one sample every PoolSizingOptions.Interval: refill to MinSize, grow under pressure, shrink idle entries,
// close drained entries whose leases outlived the drain timeout, report utilisation, and probe a failed endpoint.
// The rule is documented on PoolSizingOptions.
public sealed partial class ConnectionPool<T>
{
    private long _samples;

    /// <summary>Gets how many sizing samples have completed (tests wait on it instead of guessing timing).</summary>
    internal long SamplesTaken => Interlocked.Read(ref _samples);

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        List<PoolEntry<T>> idle = [];
        List<PoolEntry<T>> overdue = [];
        long now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (IsDisposed)
            {
                return;
            }
            var routable = _routable;
            int leases = 0;
            foreach (var entry in routable)
            {
                int n = entry.Leases;
                leases += n;
                if (n > 0 | entry.TakeTouched())
                {
                    entry.IdleSince = now;
                }
            }
            foreach (var entry in _entries)
            {
                if (!entry.IsActive && entry.Leases > 0 && _timeProvider.GetElapsedTime(entry.RetiredAt, now) >= _drainTimeout)
                {
                    overdue.Add(entry);
                }
            }
            if (_current is { } current)
            {
                int size = routable.Length;
                int opening = OpeningLocked(current);
                for (int missing = _minSize - size - opening; missing > 0; missing--)
                {
                    StartOpenLocked(current, "refilling to MinSize");
                    opening++;
                }
                if (_sizing.Enabled)
                {
                    double capacity = (double)size * _maxLeases;
                    double utilization = capacity == 0 ? 0.0 : leases / capacity; // nothing in rotation: waiters are the only demand
                    bool pressure = Volatile.Read(ref _waiting) > 0 || utilization >= _sizing.GrowUtilization;
                    if (pressure && size + opening < _maxSize)
                    {
                        StartOpenLocked(current, $"adaptive growth (utilisation {utilization:0.##}, {Volatile.Read(ref _waiting)} waiting)");
                    }
                    else if (!pressure && size > _minSize)
                    {
                        foreach (var entry in routable)
                        {
                            if (entry.Leases == 0 && _timeProvider.GetElapsedTime(entry.IdleSince, now) >= _sizing.IdleTimeout)
                            {
                                idle.Add(entry);
                            }
                        }
                        idle.Sort(static (a, b) => a.IdleSince.CompareTo(b.IdleSince));
                        if (idle.Count > size - _minSize)
                        {
                            idle.RemoveRange(size - _minSize, idle.Count - (size - _minSize));
                        }
                    }
                }
            }
        }
        foreach (var entry in idle)
        {
            Retire(entry, $"idle for {_sizing.IdleTimeout.TotalSeconds:0.###} s above MinSize", replace: null, health: false);
        }
        foreach (var entry in overdue)
        {
            LogDrainTimedOut(entry.Id, entry.Leases);
            CloseInBackground(entry, $"still leased {_drainTimeout.TotalSeconds:0.###} s after it was retired");
        }
        ReportUtilization();
        try
        {
            await ProbeUnprovenEndpointsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _samples);
        }
    }

    /// <summary>Reports leases out over the most the pool can lend, and the waiters, to the connection monitor.</summary>
    private void ReportUtilization()
    {
        if (_monitor is NullConnectionMonitor)
        {
            return;
        }
        int leases = 0;
        foreach (var entry in Volatile.Read(ref _routable))
        {
            leases += entry.Leases;
        }
        int capacity = (int)Math.Min(int.MaxValue, (long)_maxSize * _maxLeases);
        _monitor.OnPoolUtilization(new PoolUtilizationEvent(Name, leases, capacity, Volatile.Read(ref _waiting)));
    }
}

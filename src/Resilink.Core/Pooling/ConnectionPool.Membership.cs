using Resilink.Health;
using Resilink.Monitoring;

namespace Resilink.Pooling;

// Membership: entries join when opened (if their endpoint is still wanted), leave rotation when retired (bad health, a
// broken connection, idle, or their endpoint left), and close once — with their last lease, or at once when they have none.
public sealed partial class ConnectionPool<T>
{
    private IConnectionFactory<T>? _switchTarget;
    private long _closed;
    private long _retired;

    /// <summary>
    /// Adds an opened entry to the pool's lists, or retires it if the pool no longer wants it. Caller holds the lock, in
    /// the same hold that removes the entry's pending open, so the entry is always counted as opening or as open.
    /// </summary>
    private void AdmitLocked(PoolEntry<T> entry)
    {
        if (IsDisposed || !(ReferenceEquals(entry.Factory, _current) || ReferenceEquals(entry.Factory, _switchTarget)))
        {
            entry.TryRetire(_timeProvider.GetTimestamp());
        }
        else
        {
            _entries.Add(entry);
            HealthMonitor.Track(entry);
            RebuildRoutableLocked();
        }
    }

    /// <summary>After <see cref="AdmitLocked"/>, outside the lock: closes an entry that was not wanted, or hands the new one to waiters; true if it joined.</summary>
    private bool CompleteAdmission(PoolEntry<T> entry)
    {
        if (!entry.IsActive)
        {
            LogDiscarded(entry.Id);
            CloseInBackground(entry, "not wanted when it opened");
            return false;
        }
        LogOpened(entry.Id);
        HandOff(entry);
        ReportUtilization();
        return true;
    }

    /// <summary>Takes <paramref name="entry"/> out of rotation; it closes with its last lease (at once if it has none).</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="reason">Why, for logs and the health history.</param>
    /// <param name="replace">Why to open a replacement (through the reconnector) if the pool may grow; null for none.</param>
    /// <param name="health">Count it in <see cref="ConnectionPoolStatistics.Retired"/> (a health retirement, not a shrink or a switch).</param>
    private void Retire(PoolEntry<T> entry, string reason, ReplacementReason? replace, bool health)
    {
        bool replacing = false;
        lock (_lock)
        {
            if (!entry.TryRetire(_timeProvider.GetTimestamp()))
            {
                return;
            }
            int sizeBefore = _routable.Length; // a replacement keeps the size the pool had
            RebuildRoutableLocked();
            if (health)
            {
                _retired++;
                HealthMonitor.Find(entry)?.RecordEvent(ConnectionEventKind.Excluded, reason);
            }
            if (replace is not null && !IsDisposed && ReferenceEquals(entry.Factory, _current)
                && _routable.Length + OpeningLocked(entry.Factory) < Math.Max(_minSize, sizeBefore))
            {
                StartOpenLocked(entry.Factory, $"replacing {entry.Id}");
                replacing = true;
            }
        }
        if (replacing)
        {
            _monitor.OnConnectionReplacement(new ConnectionReplacementEvent(entry.Id, entry.PeerKey, replace!.Value));
        }
        LogRetired(entry.Id, reason, entry.Leases);
        if (entry.Leases == 0)
        {
            CloseInBackground(entry, reason); // a lease that returns meanwhile closes it instead; closing happens once
        }
        ReportUtilization();
    }

    /// <summary>Closes <paramref name="entry"/> once, off the caller's thread (a lease's dispose must not run the factory's close).</summary>
    private void CloseInBackground(PoolEntry<T> entry, string reason)
    {
        if (!entry.TryMarkClosed())
        {
            return;
        }
        lock (_lock)
        {
            _entries.Remove(entry);
            TrackLocked(Task.Run(() => CloseEntryAsync(entry, reason)));
        }
    }

    private async Task CloseEntryAsync(PoolEntry<T> entry, string reason)
    {
        // The pool closes its connections itself (Closed), except one a lease reported broken (Dead); one already Dead stays Dead.
        HealthMonitor.Untrack(entry, reason, closedLocally: !entry.ReportedBroken);
        await CloseQuietlyAsync(entry.Factory, entry.Connection, reason).ConfigureAwait(false);
        Interlocked.Increment(ref _closed);
        LogClosed(entry.Id, reason);
        ReportUtilization();
    }

    /// <summary>Recomputes the entries new leases may go to: active, of the current endpoint. Caller holds the lock.</summary>
    private void RebuildRoutableLocked()
    {
        var routable = new List<PoolEntry<T>>(_entries.Count);
        foreach (var entry in _entries)
        {
            if (entry.IsActive && ReferenceEquals(entry.Factory, _current))
            {
                routable.Add(entry);
            }
        }
        Volatile.Write(ref _routable, [.. routable]);
    }

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs change)
    {
        RaiseHealthStatusChanged(change);
        PoolEntry<T>? entry = null;
        lock (_lock)
        {
            entry = _entries.Find(e => e.Id == change.ConnectionId);
        }
        if (entry is null || !entry.IsActive || IsDisposed)
        {
            return; // closed by the pool (Untrack reports it Closed or Dead) or already retired: not news for failover
        }
        if (IsOutOfRotation(change.Current))
        {
            Retire(entry, $"{change.Current}: {change.Reason}", ReplacementReasons.For(change.Current), health: true);
            Failover?.RecordFailure(entry.Factory, new IOException($"Connection {entry.Id} is {change.Current}: {change.Reason}"));
        }
        else if (change.Current == HealthStatus.Healthy)
        {
            Failover?.RecordSuccess(entry.Factory);
        }
    }
}

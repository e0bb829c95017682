using Resilink.Health;
using Resilink.Monitoring;

namespace Resilink.Pooling;

// Returning: a lease ends once (its ticket's version moves on), its entry's count drops, and a free lease goes straight
// to the oldest waiter; a drained entry closes with its last lease.
public sealed partial class ConnectionPool<T>
{
    private long _released;

    // Per endpoint: an operation succeeded since the last failure reported to failover (see ReportFailure).
    private int _primarySucceeded;
    private int _secondarySucceeded;

    /// <summary>Ends the lease of <paramref name="version"/> on <paramref name="ticket"/>; called by <see cref="ConnectionLease{T}.Dispose"/>.</summary>
    internal void Return(LeaseTicket<T> ticket, int version)
    {
        if (!ticket.TryEnd(version))
        {
            return;
        }
        var entry = ticket.Entry!;
        var failed = ticket.FailureReported; // read before the ticket goes back for reuse
        _tickets.Return(ticket);
        Interlocked.Increment(ref _released);
        entry.Stats.OnStreamClosed();
        if (Failover is not null && !failed)
        {
            ref int succeeded = ref SucceededFlag(entry.Factory);
            if (Volatile.Read(ref succeeded) == 0)
            {
                Volatile.Write(ref succeeded, 1); // written only on the first success after a failure: no shared write per lease
            }
        }
        ReturnClaim(entry);
    }

    /// <summary>Gives back one lease of <paramref name="entry"/>: to a waiter if it is still in rotation, else closes it when it was the last.</summary>
    private void ReturnClaim(PoolEntry<T> entry)
    {
        int left = entry.Unclaim();
        if (!entry.IsActive)
        {
            if (left == 0)
            {
                CloseInBackground(entry, "drained");
            }
        }
        else if (Volatile.Read(ref _waiting) > 0)
        {
            HandOff(entry);
        }
    }

    /// <summary>Hands free leases of <paramref name="entry"/> to waiters, oldest first.</summary>
    private void HandOff(PoolEntry<T> entry)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(entry.Factory, _current))
            {
                return; // a warm-up entry of the endpoint being switched to: not lent before the switch
            }
            while (_waiters.TryPeek(out var waiter))
            {
                if (waiter.Task.IsCompleted)
                {
                    _waiters.Dequeue(); // timed out or cancelled meanwhile
                    continue;
                }
                if (!TryClaim(entry))
                {
                    return;
                }
                _waiters.Dequeue();
                if (!TryComplete(waiter, entry))
                {
                    ReturnClaimQuietly(entry);
                }
            }
        }
    }

    /// <summary>Hands every routable entry's free leases to waiters (after entries joined or the endpoint changed).</summary>
    private void HandOffAll()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }
        foreach (var entry in Volatile.Read(ref _routable))
        {
            HandOff(entry);
        }
    }

    /// <summary>Gives back a lease claimed for a waiter that ended meanwhile, without handing it on (the caller is handing off).</summary>
    private void ReturnClaimQuietly(PoolEntry<T> entry)
    {
        if (entry.Unclaim() == 0 && !entry.IsActive)
        {
            CloseInBackground(entry, "drained");
        }
    }

    /// <summary>What <see cref="ConnectionLease{T}.ReportFailure"/> does.</summary>
    internal void ReportFailure(PoolEntry<T> entry, Exception exception, bool connectionBroken)
    {
        entry.Stats.RecordFailure(entry.Stats.GetTimestamp());
        string message = string.IsNullOrEmpty(exception.Message) ? exception.GetType().Name : exception.Message;
        HealthMonitor.ReportStreamFailure(entry, connectionBroken ? "connection_broken" : "operation_failed", message);
        if (connectionBroken)
        {
            entry.MarkReportedBroken();
            Retire(entry, $"reported broken: {message}", ReplacementReason.Broken, health: true);
        }
        if (Failover is { } failover)
        {
            // Failover counts consecutive failures; the successes between them are only recorded when they matter.
            if (Interlocked.Exchange(ref SucceededFlag(entry.Factory), 0) != 0)
            {
                failover.RecordSuccess(entry.Factory);
            }
            failover.RecordFailure(entry.Factory, exception);
        }
    }

    private ref int SucceededFlag(IConnectionFactory<T> factory) =>
        ref ReferenceEquals(factory, _primary) ? ref _primarySucceeded : ref _secondarySucceeded;

    /// <summary>Leases out and connections with at least one, over the open entries. Caller holds the lock.</summary>
    private (int Leases, int Busy) CountLeasesLocked()
    {
        int leases = 0, busy = 0;
        foreach (var entry in _entries)
        {
            int n = entry.Leases;
            leases += n;
            busy += n > 0 ? 1 : 0;
        }
        return (leases, busy);
    }

    private static bool IsOutOfRotation(HealthStatus status) => status is HealthStatus.Unhealthy or HealthStatus.Dead;
}

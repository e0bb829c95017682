using Resilink.Resilience;

namespace Resilink.Pooling;

// Lending: the fast path picks among the routable entries with a free lease (no lock, no allocation); the slow path
// queues a waiter, opens a connection if the pool may grow, and waits at most AcquireTimeout for a hand-off.
public sealed partial class ConnectionPool<T>
{
    private readonly Queue<Waiter> _waiters = new();
    private int _waiting;
    private long _acquired;
    private long _acquireTimeouts;

    /// <summary>
    /// Lends a connection: one of the current endpoint's connections in rotation with a free lease, picked by the strategy.
    /// When none is free it waits — opening a connection if the pool is under <see cref="ConnectionPoolOptions.MaxSize"/> —
    /// for at most <see cref="ConnectionPoolOptions.AcquireTimeout"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The lease; dispose it to return the connection.</returns>
    /// <exception cref="PoolAcquireTimeoutException">No lease became free in time.</exception>
    /// <exception cref="EndpointUnavailableException">Failover has no endpoint left: both have failed.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed (also thrown to acquirers waiting when it is).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ConnectionLease<T>> AcquireAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ConnectionLease<T>>(cancellationToken);
        }
        return TryClaimAny(out var entry) ? new(Lend(entry)) : AcquireSlowAsync(cancellationToken);
    }

    private async ValueTask<ConnectionLease<T>> AcquireSlowAsync(CancellationToken cancellationToken)
    {
        var waiter = new Waiter();
        Exception? refusal = null;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_current is null)
            {
                refusal = UnavailableError();
            }
            else
            {
                _waiters.Enqueue(waiter);
                Interlocked.Increment(ref _waiting);
                GrowForWaitersLocked();
            }
        }
        if (refusal is not null)
        {
            throw refusal;
        }

        // A lease may have come back between the failed pick and the enqueue, with no waiter yet to hand it to.
        if (TryClaimAny(out var early) && !TryComplete(waiter, early))
        {
            ReturnClaim(early);
        }

        PoolEntry<T> entry;
        try
        {
            entry = await waiter.Task.WaitAsync(_acquireTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (TryAbandon(waiter))
        {
            Interlocked.Increment(ref _acquireTimeouts);
            throw new PoolAcquireTimeoutException(Name, CurrentEndpoint, _acquireTimeout, GetStatistics());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && TryAbandon(waiter))
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            entry = await waiter.Task.ConfigureAwait(false); // handed a lease (or failed) just as the wait ended
        }
        return Lend(entry);
    }

    /// <summary>Claims a lease on an entry the strategy picks among the routable ones with a free lease; false when there is none.</summary>
    private bool TryClaimAny(out PoolEntry<T> entry)
    {
        var routable = Volatile.Read(ref _routable);
        if (routable.Length > 0)
        {
            var candidates = CandidateBuffer.ForCurrentThread();
            try
            {
                // A pick can lose a race for the last free lease of its entry; a few rounds settle it, then the slow path does.
                for (int round = 0; round < 3; round++)
                {
                    foreach (var candidate in routable)
                    {
                        if (candidate.Leases < _maxLeases)
                        {
                            candidates.Add(candidate);
                        }
                    }
                    if (candidates.Count == 0)
                    {
                        break;
                    }
                    var picked = (PoolEntry<T>)_strategy.Select(candidates);
                    if (TryClaim(picked))
                    {
                        entry = picked;
                        return true;
                    }
                    candidates.Clear();
                }
            }
            finally
            {
                candidates.Clear();
            }
        }
        entry = null!;
        return false;
    }

    private bool TryClaim(PoolEntry<T> entry)
    {
        if (!entry.TryClaim(_maxLeases))
        {
            return false;
        }
        if (!entry.IsActive)
        {
            ReturnClaim(entry); // retired while we claimed
            return false;
        }
        return true;
    }

    private ConnectionLease<T> Lend(PoolEntry<T> entry)
    {
        entry.Stats.OnStreamOpened();
        Interlocked.Increment(ref _acquired);
        var ticket = _tickets.Rent();
        return new ConnectionLease<T>(ticket, ticket.Begin(this, entry));
    }

    /// <summary>Opens one more connection when waiters outnumber what is being opened for them and the pool may grow. Caller holds the lock.</summary>
    private void GrowForWaitersLocked()
    {
        if (_current is { } current
            && _routable.Length + OpeningLocked(current) < _maxSize
            && (long)OpeningLocked(current) * _maxLeases < Volatile.Read(ref _waiting))
        {
            StartOpenLocked(current, "acquirers waiting");
        }
    }

    private bool TryComplete(Waiter waiter, PoolEntry<T> entry)
    {
        if (!waiter.TrySetResult(entry))
        {
            return false;
        }
        Interlocked.Decrement(ref _waiting);
        return true;
    }

    private bool TryAbandon(Waiter waiter)
    {
        if (!waiter.TrySetCanceled())
        {
            return false;
        }
        Interlocked.Decrement(ref _waiting);
        return true;
    }

    private bool TryFail(Waiter waiter, Exception error)
    {
        if (!waiter.TrySetException(error))
        {
            return false;
        }
        Interlocked.Decrement(ref _waiting);
        return true;
    }

    /// <summary>Why nothing can be lent while failover has no endpoint. Caller may hold the lock (the controller never calls back under its own).</summary>
    private EndpointUnavailableException UnavailableError()
    {
        try
        {
            _ = Failover?.Current;
        }
        catch (EndpointUnavailableException ex)
        {
            return ex;
        }
        return new EndpointUnavailableException(_primary.Endpoint, "unavailable", _secondary?.Endpoint ?? "none", "unavailable");
    }

    /// <summary>An acquirer waiting for a hand-off; continuations run asynchronously so a hand-off under the lock runs no user code.</summary>
    private sealed class Waiter() : TaskCompletionSource<PoolEntry<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
}

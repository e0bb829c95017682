namespace Resilink.Pooling;

// Start (an optional warm-up) and shutdown (every connection closed exactly once, every waiter released).
public sealed partial class ConnectionPool<T>
{
    /// <summary>
    /// Warms the pool up: opens connections of the current endpoint up to <see cref="ConnectionPoolOptions.MinSize"/> and
    /// waits until each of those opens has connected or given up. Optional — without it the pool opens its connections at
    /// the first sizing sample or the first acquire. It does not throw for connections that could not be opened: the
    /// pool keeps refilling in the background (see <see cref="GetStatistics"/> for what it has).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the opens go on.</param>
    /// <returns>A task that completes when the warm-up opens have ended.</returns>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var opens = new List<Task<PoolEntry<T>?>>();
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_current is { } current)
            {
                for (int missing = _minSize - _routable.Length - OpeningLocked(current); missing > 0; missing--)
                {
                    opens.Add(StartOpenLocked(current, "warm-up"));
                }
            }
        }
        await Task.WhenAll(opens).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the pool: waiting acquirers get <see cref="ObjectDisposedException"/>, opens under way are abandoned (a
    /// connection they still produce is closed), health checks, samples and failover stop, and every connection is closed
    /// exactly once — leased ones too (their leases' later dispose does nothing). Idempotent.
    /// </summary>
    /// <returns>A task that completes when every connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Waiter[] waiters;
        lock (_lock)
        {
            waiters = [.. _waiters];
            _waiters.Clear();
            Volatile.Write(ref _routable, []);
        }
        var closed = new ObjectDisposedException(GetType().Name, $"The connection pool '{Name}' was disposed.");
        foreach (var waiter in waiters)
        {
            TryFail(waiter, closed);
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await _sizingRounds.StopAsync().ConfigureAwait(false);
        if (Failover is not null)
        {
            Failover.StateChanged -= OnFailoverStateChanged;
            await Failover.DisposeAsync().ConfigureAwait(false);
        }
        await HealthMonitor.DisposeAsync().ConfigureAwait(false);

        // Opens end (cancelled) and close what they produce; then every remaining entry closes once. Closing may start
        // more background work (a late create's close), so wait until there is none left.
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                foreach (var entry in _entries.ToArray())
                {
                    CloseInBackground(entry, "pool disposed");
                }
                _background.RemoveAll(static t => t.IsCompleted);
                pending = [.. _background];
            }
            if (pending.Length == 0)
            {
                break;
            }
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        HealthMonitor.StatusChanged -= OnHealthStatusChanged;
        _disposing.Dispose();
    }
}

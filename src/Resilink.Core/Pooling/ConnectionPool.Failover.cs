using Resilink.Resilience;

namespace Resilink.Pooling;

// Failover: the controller decides the endpoint; the pool warms the new one up in the switch hook, lends only the current
// endpoint's connections, drains the old endpoint's as their leases return, and probes a failed endpoint so it can recover.
public sealed partial class ConnectionPool<T>
{
    private long _lastProbe;
    private int _probing;

    /// <summary>
    /// The switch hook: opens up to <see cref="ConnectionPoolOptions.MinSize"/> (at least one) connections of
    /// <paramref name="target"/> before the switch completes; the switch fails if none opens.
    /// </summary>
    private async Task WarmUpAsync(IConnectionFactory<T> target, CancellationToken cancellationToken)
    {
        Task<PoolEntry<T>?>[] opens;
        lock (_lock)
        {
            ThrowIfDisposed();
            _switchTarget = target;
            int have = 0;
            foreach (var entry in _entries)
            {
                have += entry.IsActive && ReferenceEquals(entry.Factory, target) ? 1 : 0;
            }
            int wanted = Math.Max(1, _minSize) - have - OpeningLocked(target);
            opens = new Task<PoolEntry<T>?>[Math.Max(0, wanted)];
            for (int i = 0; i < opens.Length; i++)
            {
                opens[i] = StartOpenLocked(target, "failover warm-up");
            }
            if (have > 0 && opens.Length == 0)
            {
                return;
            }
        }
        using var abandon = cancellationToken.Register(() => CancelOpens(target));
        var opened = await Task.WhenAll(opens).ConfigureAwait(false);
        if (!Array.Exists(opened, e => e is not null) && !HasActiveEntry(target))
        {
            throw new IOException($"No connection to {target.Endpoint} could be opened for the switch.");
        }
    }

    private bool HasActiveEntry(IConnectionFactory<T> factory)
    {
        lock (_lock)
        {
            return _entries.Exists(e => e.IsActive && ReferenceEquals(e.Factory, factory));
        }
    }

    private void CancelOpens(IConnectionFactory<T> factory)
    {
        List<CancellationTokenSource> cancel = [];
        lock (_lock)
        {
            foreach (var open in _opens)
            {
                if (ReferenceEquals(open.Factory, factory))
                {
                    cancel.Add(open.Cancellation);
                }
            }
        }
        foreach (var source in cancel)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That open ended meanwhile.
            }
        }
    }

    /// <summary>
    /// Follows the controller: new leases go to its current endpoint (none while Unavailable), the other endpoint's entries
    /// drain and its opens stop, and waiters get the new endpoint's free leases — or the unavailability error.
    /// </summary>
    private void OnFailoverStateChanged(object? sender, FailoverStateChangedEventArgs change)
    {
        var current = Failover!.TryGetCurrent(out var endpoint) ? endpoint : null;
        List<PoolEntry<T>> leaving = [];
        List<Waiter> refused = [];
        IConnectionFactory<T>? abandoned = null;
        lock (_lock)
        {
            if (IsDisposed)
            {
                return;
            }
            if (change.To is FailoverState.Primary or FailoverState.Secondary or FailoverState.Unavailable)
            {
                _switchTarget = null;
            }
            Volatile.Write(ref _current, current);
            foreach (var entry in _entries)
            {
                if (entry.IsActive && !ReferenceEquals(entry.Factory, current) && !ReferenceEquals(entry.Factory, _switchTarget))
                {
                    leaving.Add(entry);
                }
            }
            foreach (var open in _opens)
            {
                if (!ReferenceEquals(open.Factory, current) && !ReferenceEquals(open.Factory, _switchTarget))
                {
                    abandoned = open.Factory;
                }
            }
            if (current is null)
            {
                refused.AddRange(_waiters);
                _waiters.Clear();
            }
            else
            {
                GrowForWaitersLocked();
            }
            RebuildRoutableLocked();
        }
        LogEndpointChanged(change.From, change.To, current?.Endpoint ?? "none");
        if (abandoned is not null)
        {
            CancelOpens(abandoned);
        }
        foreach (var entry in leaving)
        {
            Retire(entry, $"failover {change.From} -> {change.To}", replace: null, health: false);
        }
        if (refused.Count > 0)
        {
            var error = UnavailableError();
            foreach (var waiter in refused)
            {
                TryFail(waiter, error);
            }
        }
        HandOffAll();
        ReportUtilization();
    }

    /// <summary>
    /// Opens and closes one connection of each endpoint without a success since its last failure (a failed one, or one
    /// that failed fewer times than the threshold), at most once per health check interval: the only way an endpoint the
    /// pool no longer uses can prove it is back (failback, or recovery from Unavailable).
    /// </summary>
    private async Task ProbeUnprovenEndpointsAsync(CancellationToken cancellationToken)
    {
        if (Failover is not { } failover
            || _timeProvider.GetElapsedTime(Volatile.Read(ref _lastProbe)) < _probeInterval
            || Interlocked.Exchange(ref _probing, 1) != 0)
        {
            return;
        }
        try
        {
            Volatile.Write(ref _lastProbe, _timeProvider.GetTimestamp());
            foreach (var factory in new[] { _primary, _secondary! })
            {
                if (failover.AwaitsSuccess(factory))
                {
                    await ProbeAsync(factory, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private async Task ProbeAsync(IConnectionFactory<T> factory, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(_connectionTimeout, _timeProvider);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop);
        try
        {
            var (connection, _) = await OpenOnceAsync(factory, attempt.Token, stop).ConfigureAwait(false);
            LogProbeSucceeded(factory.Endpoint);
            await CloseQuietlyAsync(factory, connection, "endpoint probe").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed probe is recorded by OpenOnceAsync; the endpoint stays failed.
        catch (Exception ex) when (!stop.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogProbeFailed(ex, factory.Endpoint);
        }
    }
}

using Resilink.Monitoring;

namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    // Filled under the lock, emptied by Flush outside it, so no handler, hook or token callback runs under the lock.
    private readonly Queue<FailoverStateChangedEventArgs> _pendingEvents = new();
    private readonly Queue<FailoverSwitch> _hooksToStart = new();
    private readonly Queue<CancellationTokenSource> _hooksToCancel = new();
    private readonly List<Task> _runningHooks = [];
    private bool _dispatching;

    /// <summary>Raises queued events in order, cancels abandoned hooks and starts new ones. Call without the lock.</summary>
    private void Flush()
    {
        while (true)
        {
            DispatchEvents();
            CancellationTokenSource? cancel = null;
            FailoverSwitch? start = null;
            lock (_lock)
            {
                if (!_hooksToCancel.TryDequeue(out cancel) && !_hooksToStart.TryDequeue(out start))
                {
                    return;
                }
            }
            if (cancel is not null)
            {
                Cancel(cancel);
            }
            else if (start is not null)
            {
                var running = RunHookAsync(start);
                lock (_lock)
                {
                    _runningHooks.RemoveAll(static t => t.IsCompleted);
                    _runningHooks.Add(running);
                }
            }
        }
    }

    private static void Cancel(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The hook ended (and its source was disposed) meanwhile: nothing left to cancel.
        }
    }

    /// <summary>One thread at a time delivers queued events, in order; a handler that reports back only queues more.</summary>
    private void DispatchEvents()
    {
        lock (_lock)
        {
            if (_dispatching)
            {
                return;
            }
            _dispatching = true;
        }
        while (true)
        {
            FailoverStateChangedEventArgs? next;
            lock (_lock)
            {
                if (!_pendingEvents.TryDequeue(out next))
                {
                    _dispatching = false;
                    return;
                }
            }
            try
            {
                LogStateChanged(next.From, next.To, next.Reason);
                _monitor.OnFailoverStateChanged(new FailoverEvent(next.From, next.To));
                StateChanged?.Invoke(this, next);
            }
#pragma warning disable CA1031 // A failing subscriber must not stop the controller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(ex, next.From, next.To);
            }
        }
    }
}

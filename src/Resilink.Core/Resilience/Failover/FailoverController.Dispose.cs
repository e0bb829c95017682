namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>
    /// Stops the failback timer, cancels a running switch hook and waits for it to end. Later reports are ignored and
    /// manual switches throw <see cref="ObjectDisposedException"/>; <see cref="Current"/> and <see cref="Statistics"/> stay readable.
    /// </summary>
    /// <returns>A task that completes when the hooks have ended.</returns>
    public async ValueTask DisposeAsync()
    {
        Task[] hooks;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            DisarmFailbackTimer();
            if (_switch is { } change)
            {
                _switch = null; // the hook's end changes nothing now
                change.Done.TrySetException(new ObjectDisposedException(GetType().Name, "The failover controller was disposed during the switch."));
                if (change.Cancellation is { } cancellation)
                {
                    _hooksToCancel.Enqueue(cancellation);
                }
            }
            _hooksToStart.Clear();
        }
        Flush();
        lock (_lock)
        {
            hooks = [.. _runningHooks];
        }
        await Task.WhenAll(hooks).ConfigureAwait(false);
    }
}

namespace Resilink.Net.Host;

/// <summary>
/// A peer marked with <see cref="Libp2pHost.KeepAlive"/>: whether a reconnection to it is running (at most one at a
/// time), and the way to stop it when the mark is removed. Thread-safe.
/// </summary>
internal sealed class KeepAliveMark
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private bool _removed;

    /// <summary>
    /// Claims the peer's reconnection for <paramref name="reconnection"/>; false when one is already running or the mark
    /// was removed. The caller owns <paramref name="reconnection"/> either way.
    /// </summary>
    public bool TryBegin(CancellationTokenSource reconnection)
    {
        lock (_gate)
        {
            if (_removed || _running is not null)
            {
                return false;
            }
            _running = reconnection;
            return true;
        }
    }

    /// <summary>Releases the claim of <paramref name="reconnection"/>; call before disposing it.</summary>
    public void End(CancellationTokenSource reconnection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_running, reconnection))
            {
                _running = null;
            }
        }
    }

    /// <summary>Removes the mark: no reconnection starts any more, and the running one is cancelled.</summary>
    public void Remove()
    {
        CancellationTokenSource? running;
        lock (_gate)
        {
            _removed = true;
            running = _running;
        }
        try
        {
            // Outside the lock: cancelling runs the reconnection's callbacks, which may call End on this thread.
            running?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The reconnection ended between the lock and the cancel: nothing left to stop.
        }
    }
}

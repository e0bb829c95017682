namespace Resilink.Net.Threading;

/// <summary>
/// A cancellation token that fires after a timeout measured on a <see cref="TimeProvider"/> (so tests can drive it),
/// or when an outer token fires. Tells the two apart with <see cref="TimedOut"/>.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    public TimeoutScope(TimeSpan timeout, TimeProvider timeProvider, CancellationToken outer)
    {
        _timeout = new CancellationTokenSource(timeout, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the timeout (not the outer token) fired.</summary>
    public bool TimedOut => _timeout.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}

namespace Resilink.Resilience;

/// <summary>
/// One step of a reconnection by a <see cref="Reconnector"/>: an attempt starting
/// (<see cref="Reconnector.AttemptStarted"/>), the connection made (<see cref="Reconnector.Succeeded"/>), or the
/// reconnection abandoned (<see cref="Reconnector.GaveUp"/>).
/// </summary>
public sealed class ReconnectEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="ReconnectEventArgs"/> class.</summary>
    /// <param name="key">What is being reconnected (connection id, peer or endpoint).</param>
    /// <param name="attempt">The attempt, 1-based.</param>
    /// <param name="delay">The wait before that attempt; zero for the first.</param>
    /// <param name="elapsed">Time since the reconnection began.</param>
    /// <param name="exception">Why it gave up; null unless raised by <see cref="Reconnector.GaveUp"/>.</param>
    public ReconnectEventArgs(string key, int attempt, TimeSpan delay, TimeSpan elapsed, Exception? exception)
    {
        Key = key;
        Attempt = attempt;
        Delay = delay;
        Elapsed = elapsed;
        Exception = exception;
    }

    /// <summary>Gets what is being reconnected (connection id, peer or endpoint).</summary>
    public string Key { get; }

    /// <summary>Gets the attempt, 1-based: the one starting, the one that connected, or the last one made before giving up.</summary>
    public int Attempt { get; }

    /// <summary>Gets the wait before that attempt; zero for the first.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets the time since the reconnection began (zero when the first attempt starts).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Gets why the reconnection gave up — the <see cref="RetryExhaustedException"/> listing every attempt, or the
    /// permanent or unexpected error that stopped it — exactly what <see cref="Reconnector.ReconnectAsync{T}"/> throws.
    /// Null for <see cref="Reconnector.AttemptStarted"/> and <see cref="Reconnector.Succeeded"/>.
    /// </summary>
    public Exception? Exception { get; }
}

namespace Resilink.Resilience;

/// <summary>A <see cref="FailoverController{TEndpoint}"/> moved from one <see cref="FailoverState"/> to another.</summary>
public sealed class FailoverStateChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="FailoverStateChangedEventArgs"/> class.</summary>
    /// <param name="from">The state before.</param>
    /// <param name="to">The state now.</param>
    /// <param name="reason">Why, for people (e.g. "primary 'db-a' failed: 3 consecutive failures (last: Connection refused)").</param>
    /// <param name="timestamp">When.</param>
    public FailoverStateChangedEventArgs(FailoverState from, FailoverState to, string reason, DateTimeOffset timestamp)
    {
        From = from;
        To = to;
        Reason = reason;
        Timestamp = timestamp;
    }

    /// <summary>Gets the state before.</summary>
    public FailoverState From { get; }

    /// <summary>Gets the state now.</summary>
    public FailoverState To { get; }

    /// <summary>Gets why, for people. Both transitions of one switch carry the same reason.</summary>
    public string Reason { get; }

    /// <summary>Gets when (the controller's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Timestamp { get; }
}

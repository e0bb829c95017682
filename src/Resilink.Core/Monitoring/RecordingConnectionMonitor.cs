namespace Resilink.Monitoring;

/// <summary>
/// An <see cref="IConnectionMonitor"/> that keeps every report, in order, for tests and diagnostics. Thread-safe.
/// Unbounded: meant for tests and short sessions, not for a long-running process.
/// </summary>
public sealed class RecordingConnectionMonitor : IConnectionMonitor
{
    private readonly Lock _gate = new();
    private readonly List<object> _events = [];

    /// <summary>Gets a copy of every report so far, oldest first (each one of the <c>…Event</c> record structs).</summary>
    public IReadOnlyList<object> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Gets the reports of one kind so far, oldest first.</summary>
    /// <typeparam name="T">The event type, e.g. <see cref="ConnectionStateEvent"/>.</typeparam>
    /// <returns>The matching reports.</returns>
    public IReadOnlyList<T> Of<T>()
        where T : struct
    {
        lock (_gate)
        {
            return [.. _events.OfType<T>()];
        }
    }

    /// <summary>Forgets every report.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }

    /// <inheritdoc />
    public void OnConnectionAttempt(in ConnectionAttemptEvent e) => Add(e);

    /// <inheritdoc />
    public void OnConnectionStateChanged(in ConnectionStateEvent e) => Add(e);

    /// <inheritdoc />
    public void OnRttSample(in RttSampleEvent e) => Add(e);

    /// <inheritdoc />
    public void OnBytesTransferred(in BytesTransferredEvent e) => Add(e);

    /// <inheritdoc />
    public void OnStream(in StreamEvent e) => Add(e);

    /// <inheritdoc />
    public void OnError(in ConnectionErrorEvent e) => Add(e);

    /// <inheritdoc />
    public void OnCircuitBreakerStateChanged(in CircuitBreakerEvent e) => Add(e);

    /// <inheritdoc />
    public void OnPeer(in PeerEvent e) => Add(e);

    /// <inheritdoc />
    public void OnMessage(in MessageEvent e) => Add(e);

    /// <inheritdoc />
    public void OnBufferedMessages(in BufferedMessagesEvent e) => Add(e);

    /// <inheritdoc />
    public void OnPoolUtilization(in PoolUtilizationEvent e) => Add(e);

    /// <inheritdoc />
    public void OnHealthStatusChanged(in HealthStatusEvent e) => Add(e);

    /// <inheritdoc />
    public void OnReconnect(in ReconnectEvent e) => Add(e);

    /// <inheritdoc />
    public void OnConnectionReplacement(in ConnectionReplacementEvent e) => Add(e);

    /// <inheritdoc />
    public void OnFailoverStateChanged(in FailoverEvent e) => Add(e);

    private void Add(object e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }
}

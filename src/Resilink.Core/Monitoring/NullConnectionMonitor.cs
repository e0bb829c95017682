namespace Resilink.Monitoring;

/// <summary>An <see cref="IConnectionMonitor"/> that ignores everything: the default when none is given.</summary>
public sealed class NullConnectionMonitor : IConnectionMonitor
{
    private NullConnectionMonitor()
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static NullConnectionMonitor Instance { get; } = new();

    /// <inheritdoc />
    public void OnConnectionAttempt(in ConnectionAttemptEvent e)
    {
    }

    /// <inheritdoc />
    public void OnConnectionStateChanged(in ConnectionStateEvent e)
    {
    }

    /// <inheritdoc />
    public void OnRttSample(in RttSampleEvent e)
    {
    }

    /// <inheritdoc />
    public void OnBytesTransferred(in BytesTransferredEvent e)
    {
    }

    /// <inheritdoc />
    public void OnStream(in StreamEvent e)
    {
    }

    /// <inheritdoc />
    public void OnError(in ConnectionErrorEvent e)
    {
    }

    /// <inheritdoc />
    public void OnCircuitBreakerStateChanged(in CircuitBreakerEvent e)
    {
    }

    /// <inheritdoc />
    public void OnPeer(in PeerEvent e)
    {
    }

    /// <inheritdoc />
    public void OnMessage(in MessageEvent e)
    {
    }

    /// <inheritdoc />
    public void OnBufferedMessages(in BufferedMessagesEvent e)
    {
    }

    /// <inheritdoc />
    public void OnPoolUtilization(in PoolUtilizationEvent e)
    {
    }

    /// <inheritdoc />
    public void OnHealthStatusChanged(in HealthStatusEvent e)
    {
    }

    /// <inheritdoc />
    public void OnReconnect(in ReconnectEvent e)
    {
    }

    /// <inheritdoc />
    public void OnConnectionReplacement(in ConnectionReplacementEvent e)
    {
    }

    /// <inheritdoc />
    public void OnFailoverStateChanged(in FailoverEvent e)
    {
    }
}

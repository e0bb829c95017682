namespace Resilink.Monitoring;

/// <summary>Passes every report to each of several monitors, in order (e.g. metrics and a recorder).</summary>
public sealed class CompositeConnectionMonitor : IConnectionMonitor
{
    private readonly IConnectionMonitor[] _monitors;

    /// <summary>Initializes a new instance of the <see cref="CompositeConnectionMonitor"/> class.</summary>
    /// <param name="monitors">The monitors to report to.</param>
    public CompositeConnectionMonitor(params IConnectionMonitor[] monitors)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        if (Array.IndexOf(monitors, null) >= 0)
        {
            throw new ArgumentException("No monitor may be null.", nameof(monitors));
        }

        _monitors = [.. monitors];
    }

    /// <summary>Gets the monitors reported to.</summary>
    public IReadOnlyList<IConnectionMonitor> Monitors => _monitors;

    /// <inheritdoc />
    public void OnConnectionAttempt(in ConnectionAttemptEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnConnectionAttempt(e);
        }
    }

    /// <inheritdoc />
    public void OnConnectionStateChanged(in ConnectionStateEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnConnectionStateChanged(e);
        }
    }

    /// <inheritdoc />
    public void OnRttSample(in RttSampleEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnRttSample(e);
        }
    }

    /// <inheritdoc />
    public void OnBytesTransferred(in BytesTransferredEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnBytesTransferred(e);
        }
    }

    /// <inheritdoc />
    public void OnStream(in StreamEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnStream(e);
        }
    }

    /// <inheritdoc />
    public void OnError(in ConnectionErrorEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnError(e);
        }
    }

    /// <inheritdoc />
    public void OnCircuitBreakerStateChanged(in CircuitBreakerEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnCircuitBreakerStateChanged(e);
        }
    }

    /// <inheritdoc />
    public void OnPeer(in PeerEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnPeer(e);
        }
    }

    /// <inheritdoc />
    public void OnMessage(in MessageEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnMessage(e);
        }
    }

    /// <inheritdoc />
    public void OnBufferedMessages(in BufferedMessagesEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnBufferedMessages(e);
        }
    }

    /// <inheritdoc />
    public void OnPoolUtilization(in PoolUtilizationEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnPoolUtilization(e);
        }
    }

    /// <inheritdoc />
    public void OnHealthStatusChanged(in HealthStatusEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnHealthStatusChanged(e);
        }
    }

    /// <inheritdoc />
    public void OnReconnect(in ReconnectEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnReconnect(e);
        }
    }

    /// <inheritdoc />
    public void OnConnectionReplacement(in ConnectionReplacementEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnConnectionReplacement(e);
        }
    }

    /// <inheritdoc />
    public void OnFailoverStateChanged(in FailoverEvent e)
    {
        foreach (IConnectionMonitor monitor in _monitors)
        {
            monitor.OnFailoverStateChanged(e);
        }
    }
}

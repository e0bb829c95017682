namespace Resilink.Monitoring;

/// <summary>
/// The one seam every component reports to: connection attempts and state changes, round trips, bytes, stream
/// outcomes, errors, circuit breakers, peers, messages, buffers and pools, and recovery: re-dials, replacements and
/// failovers. Implementations turn reports into metrics
/// (Resilink.Telemetry), keep them for tests (<see cref="RecordingConnectionMonitor"/>), or fan them out
/// (<see cref="CompositeConnectionMonitor"/>).
/// </summary>
/// <remarks>
/// Called on hot paths and from many threads at once: implementations must be thread-safe, fast, must not block
/// and must not throw (a throwing monitor would break the operation it observes).
/// </remarks>
public interface IConnectionMonitor
{
    /// <summary>A connection attempt ended.</summary>
    /// <param name="e">The attempt.</param>
    void OnConnectionAttempt(in ConnectionAttemptEvent e);

    /// <summary>A connection changed state.</summary>
    /// <param name="e">The transition.</param>
    void OnConnectionStateChanged(in ConnectionStateEvent e);

    /// <summary>A round trip was measured.</summary>
    /// <param name="e">The sample.</param>
    void OnRttSample(in RttSampleEvent e);

    /// <summary>Bytes moved on a connection.</summary>
    /// <param name="e">The delta since the last report.</param>
    void OnBytesTransferred(in BytesTransferredEvent e);

    /// <summary>A stream was opened, failed, or was reset.</summary>
    /// <param name="e">The outcome.</param>
    void OnStream(in StreamEvent e);

    /// <summary>An error happened.</summary>
    /// <param name="e">The error.</param>
    void OnError(in ConnectionErrorEvent e);

    /// <summary>A circuit breaker changed state.</summary>
    /// <param name="e">The transition.</param>
    void OnCircuitBreakerStateChanged(in CircuitBreakerEvent e);

    /// <summary>A peer was discovered, connected or lost.</summary>
    /// <param name="e">The change.</param>
    void OnPeer(in PeerEvent e);

    /// <summary>An application message was sent or received.</summary>
    /// <param name="e">The message.</param>
    void OnMessage(in MessageEvent e);

    /// <summary>The number of buffered messages for a peer changed.</summary>
    /// <param name="e">The change.</param>
    void OnBufferedMessages(in BufferedMessagesEvent e);

    /// <summary>A pool's utilization changed.</summary>
    /// <param name="e">The new use.</param>
    void OnPoolUtilization(in PoolUtilizationEvent e);

    /// <summary>A connection's health status changed.</summary>
    /// <param name="e">The change.</param>
    void OnHealthStatusChanged(in HealthStatusEvent e);

    /// <summary>A reconnection attempt ended, or a reconnection was abandoned.</summary>
    /// <param name="e">The step.</param>
    void OnReconnect(in ReconnectEvent e);

    /// <summary>A replacement was started for a sick connection.</summary>
    /// <param name="e">The replacement.</param>
    void OnConnectionReplacement(in ConnectionReplacementEvent e);

    /// <summary>A failover controller changed state.</summary>
    /// <param name="e">The transition.</param>
    void OnFailoverStateChanged(in FailoverEvent e);
}

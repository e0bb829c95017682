namespace Resilink.Health;

/// <content>What the owner records as it happens.</content>
public sealed partial class ConnectionHealth
{
    /// <summary>Records an answered ping: its RTT, a success, and a heartbeat of the failure detector.</summary>
    /// <param name="rtt">The round-trip time.</param>
    public void RecordPingSuccess(TimeSpan rtt)
    {
        lock (_gate)
        {
            _pingsSent++;
            _rtt.Record(rtt);
            _pings.Record(answered: true);
            _detector.Heartbeat();
            _consecutivePingFailures = 0;
            _hasEvidence = true;
        }
    }

    /// <summary>Records a failed or timed-out ping (it counts in the success rate, not in stability).</summary>
    /// <param name="errorType">A short, stable kind, e.g. <c>ping_timeout</c>.</param>
    /// <param name="message">What happened, for people.</param>
    public void RecordPingFailure(string errorType, string message)
    {
        lock (_gate)
        {
            _pingsSent++;
            _pingsFailed++;
            _pings.Record(answered: false);
            _consecutivePingFailures++;
            AddError(errorType, message);
            _hasEvidence = true;
        }
    }

    /// <summary>Records a stream opened on the connection.</summary>
    public void RecordStreamOpened()
    {
        lock (_gate)
        {
            _streamsOpened++;
        }
    }

    /// <summary>Records a failed stream (open failure, reset, timeout); it lowers stability for <see cref="HealthOptions.FailureMemory"/>.</summary>
    /// <param name="errorType">A short, stable kind, e.g. <c>stream_reset</c>.</param>
    /// <param name="message">What happened, for people.</param>
    public void RecordStreamFailure(string errorType, string message)
    {
        lock (_gate)
        {
            _failedStreams++;
            AddFailure(errorType, message);
        }
    }

    /// <summary>Records a connection error; like a failed stream, it lowers stability for <see cref="HealthOptions.FailureMemory"/>.</summary>
    /// <param name="errorType">A short, stable kind, e.g. an exception type name.</param>
    /// <param name="message">What happened, for people.</param>
    public void RecordError(string errorType, string message)
    {
        lock (_gate)
        {
            AddFailure(errorType, message);
        }
    }

    /// <summary>
    /// Feeds the bytes moved since the previous call (the first call: since the connection opened) to the bandwidth
    /// statistics, as if they flowed evenly over that time, so the rates do not depend on how often this is called.
    /// </summary>
    /// <param name="totalIn">Bytes received since the connection opened, as the connection counts them.</param>
    /// <param name="totalOut">Bytes sent since the connection opened, as the connection counts them.</param>
    /// <remarks>A total lower than the previous one (a counter reset) adds nothing and becomes the new baseline.</remarks>
    public void ObserveByteTotals(long totalIn, long totalOut)
    {
        lock (_gate)
        {
            _bandwidth.Observe(Math.Max(0, totalIn - _lastTotalIn), Math.Max(0, totalOut - _lastTotalOut));
            _lastTotalIn = totalIn;
            _lastTotalOut = totalOut;
        }
    }

    /// <summary>Adds an entry to the lifecycle history (at most <see cref="HealthOptions.HistorySize"/> are kept).</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="detail">More about it; may be empty.</param>
    public void RecordEvent(ConnectionEventKind kind, string detail)
    {
        lock (_gate)
        {
            _events.Add(new ConnectionLifecycleEvent(_timeProvider.GetUtcNow(), kind, detail ?? ""));
        }
    }

    /// <summary>
    /// Marks the connection closed and records <see cref="ConnectionEventKind.Closed"/> (only the first call counts);
    /// the next <see cref="Evaluate"/> makes it <see cref="HealthStatus.Closed"/> at once when
    /// <paramref name="closedLocally"/>, otherwise <see cref="HealthStatus.Dead"/>.
    /// </summary>
    /// <param name="reason">Why it closed.</param>
    /// <param name="closedLocally">
    /// True when this side closed it on purpose (shutdown, a deliberate close or retirement): not a failure. False
    /// (the default) when the peer or the network ended it.
    /// </param>
    public void MarkClosed(string reason, bool closedLocally = false)
    {
        lock (_gate)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason ?? "";
            _closedLocally = closedLocally;
            _events.Add(new ConnectionLifecycleEvent(_timeProvider.GetUtcNow(), ConnectionEventKind.Closed, _closeReason));
        }
    }

    private void AddFailure(string errorType, string message)
    {
        AddError(errorType, message);
        _recentFailures.Record();
        _hasEvidence = true;
    }

    private void AddError(string errorType, string message) =>
        _errors.Add(new HealthError(_timeProvider.GetUtcNow(), errorType, message));
}

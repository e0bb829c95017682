namespace Resilink.Health;

/// <content>Turning the records into a score, a status and a snapshot.</content>
public sealed partial class ConnectionHealth
{
    /// <summary>
    /// Recomputes the score and the status from everything recorded. The status moves with hysteresis
    /// (<see cref="HealthOptions.FailureThreshold"/> / <see cref="HealthOptions.RecoveryThreshold"/> evaluations in a
    /// row), except to <see cref="HealthStatus.Closed"/> when this side closed it, and to <see cref="HealthStatus.Dead"/>
    /// when it closed otherwise, when pings failed <see cref="HealthOptions.FailureThreshold"/>
    /// times in a row, or when phi reached <see cref="HealthOptions.PhiThreshold"/> after a failed ping.
    /// </summary>
    /// <returns>The change (also recorded as <see cref="ConnectionEventKind.StatusChanged"/>), or <see langword="null"/> if none.</returns>
    public HealthStatusChangedEventArgs? Evaluate()
    {
        lock (_gate)
        {
            var measurements = new HealthScoreInputs(_rtt.HasSamples, _rtt.Average, _pings.SuccessRate, _recentFailures.Count());
            _score = HealthScorer.Compute(_options, measurements);
            var facts = new HealthVerdictInputs(_closeReason, _closedLocally, _consecutivePingFailures, _detector.Phi(), _hasEvidence, measurements, _score);
            HealthVerdict verdict = HealthVerdictRules.Decide(_options, facts);
            if (!_status.Observe(verdict.Status, verdict.Immediate, out HealthStatus previous))
            {
                return null;
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            _lastStatusChange = now;
            _events.Add(new ConnectionLifecycleEvent(now, ConnectionEventKind.StatusChanged, $"{previous} -> {_status.Current}: {verdict.Reason}"));
            return new HealthStatusChangedEventArgs(ConnectionId, PeerKey, previous, _status.Current, _score.Score, verdict.Reason, now);
        }
    }

    /// <summary>Takes an immutable snapshot: the last evaluated status and score, and everything measured up to now.</summary>
    /// <param name="activeStreams">The streams open on the connection now, as the connection counts them.</param>
    /// <returns>The snapshot.</returns>
    public ConnectionHealthSnapshot Snapshot(int activeStreams)
    {
        lock (_gate)
        {
            return new ConnectionHealthSnapshot
            {
                ConnectionId = ConnectionId,
                PeerKey = PeerKey,
                Status = _status.Current,
                Score = _score.Score,
                LatencyScore = _score.Latency,
                SuccessScore = _score.Success,
                StabilityScore = _score.Stability,
                Phi = _detector.Phi(),
                Rtt = _rtt.GetStatistics(),
                PingsSent = _pingsSent,
                PingsFailed = _pingsFailed,
                PingSuccessRate = _pings.SuccessRate,
                ConsecutivePingFailures = _consecutivePingFailures,
                ActiveStreams = activeStreams,
                StreamsOpened = _streamsOpened,
                FailedStreams = _failedStreams,
                OpenedAt = _openedAt,
                Age = _timeProvider.GetUtcNow() - _openedAt,
                Bandwidth = _bandwidth.GetStatistics(),
                LastStatusChange = _lastStatusChange,
                IsRoutable = _isRoutable,
                RecentErrors = _errors.ToArray(),
                RecentEvents = _events.ToArray(),
            };
        }
    }
}

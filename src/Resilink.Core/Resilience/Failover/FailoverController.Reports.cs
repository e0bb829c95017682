using System.Globalization;

namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    /// <summary>Work on <paramref name="endpoint"/> succeeded: its failure count restarts, and a failed endpoint has recovered.</summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    public void RecordSuccess(TEndpoint endpoint)
    {
        var health = HealthOf(endpoint);
        lock (_lock)
        {
            bool firstSinceFailure = !health.ProvenHealthy;
            if (!_disposed && health.Recover(_timeProvider.GetTimestamp()))
            {
                LogEndpointRecovered(health.Describe(), "a success");
                Reevaluate();
            }
            else if (!_disposed && firstSinceFailure)
            {
                Reevaluate(); // the failback wait starts now
            }
        }
        Flush();
    }

    /// <summary>
    /// Work on <paramref name="endpoint"/> failed. After <see cref="FailoverOptions.FailureThreshold"/> in a row it counts as
    /// failed; if it is the active one, the controller fails over (or back). Any failure also stops the wait for an
    /// automatic failback until the next success.
    /// </summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <param name="exception">What went wrong (its message becomes part of the reason).</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    public void RecordFailure(TEndpoint endpoint, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var health = HealthOf(endpoint);
        lock (_lock)
        {
            if (!_disposed)
            {
                if (health.CountFailure(exception, _failureThreshold, _timeProvider.GetTimestamp()))
                {
                    LogEndpointFailed(health.Describe(), health.FailureReason!);
                }
                Reevaluate(); // also when still healthy: the failback wait restarts
            }
        }
        Flush();
    }

    /// <summary>
    /// A health score of <paramref name="endpoint"/> (e.g. from <see cref="Health.HealthMonitor"/>): under
    /// <see cref="FailoverOptions.HealthThreshold"/> it counts as failed, at or above it a failed endpoint has recovered.
    /// Ignored when <see cref="FailoverOptions.HealthThreshold"/> is 0.
    /// </summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <param name="score">The score, 0 to 1.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not within 0 to 1.</exception>
    public void ReportHealth(TEndpoint endpoint, double score)
    {
        if (double.IsNaN(score) || score < 0.0 || score > 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A health score is between 0 and 1.");
        }
        var health = HealthOf(endpoint);
        if (_healthThreshold > 0.0)
        {
            ReportHealth(
                health,
                healthy: score >= _healthThreshold,
                string.Create(CultureInfo.InvariantCulture, $"health score {score:0.###} under {_healthThreshold:0.###}"));
        }
    }

    /// <summary>A health verdict on <paramref name="endpoint"/>: unhealthy counts as failed at once; healthy recovers a failed endpoint.</summary>
    /// <param name="endpoint">The primary or the secondary.</param>
    /// <param name="healthy">The verdict.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is neither endpoint.</exception>
    public void ReportHealth(TEndpoint endpoint, bool healthy) => ReportHealth(HealthOf(endpoint), healthy, "reported unhealthy");

    private void ReportHealth(EndpointHealth health, bool healthy, string failReason)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            long now = _timeProvider.GetTimestamp();
            if (healthy)
            {
                health.ObserveSuccess(now);
            }
            if (healthy && health.IsFailed && health.Recover(now))
            {
                LogEndpointRecovered(health.Describe(), "a healthy report");
            }
            else if (!healthy && health.Fail(failReason, now))
            {
                LogEndpointFailed(health.Describe(), failReason);
            }
            Reevaluate();
        }
        Flush();
    }
}

namespace Resilink.Health;

/// <summary>
/// The φ accrual failure detector of Hayashibara et al., as in Akka's <c>PhiAccrualFailureDetector</c>: instead of
/// a yes/no timeout it reports φ, the suspicion that the monitored side is gone, from how late the next heartbeat is
/// compared with the intervals seen so far. φ = 1 means a 10 % chance of a false alarm, φ = 2 a 1 % chance, and so on.
/// </summary>
/// <remarks>
/// φ = −log10(1 − F(t)) where t is the time since the last heartbeat and F the normal CDF (the logistic
/// approximation Akka uses) with mean = mean interval + acceptable pause and deviation = max(deviation, minimum).
/// φ stays finite however long the silence. Thread-safe.
/// </remarks>
public sealed class PhiAccrualFailureDetector
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly HeartbeatHistory _history;
    private readonly double _minStdDeviationMs;
    private readonly double _acceptablePauseMs;
    private readonly double _firstEstimateMs;
    private long? _lastHeartbeat;

    /// <summary>Initializes a new instance of the <see cref="PhiAccrualFailureDetector"/> class.</summary>
    /// <param name="threshold">φ at or above which <see cref="IsAvailable"/> is false; positive. Akka: 8.</param>
    /// <param name="maxSampleSize">Heartbeat intervals kept; at least 1. Akka: 1000.</param>
    /// <param name="minStdDeviation">Floor of the intervals' standard deviation; positive. Akka: 100 ms.</param>
    /// <param name="acceptableHeartbeatPause">Extra silence tolerated beyond the mean interval; not negative.</param>
    /// <param name="firstHeartbeatEstimate">The interval expected before any was measured; positive.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    public PhiAccrualFailureDetector(
        double threshold, int maxSampleSize, TimeSpan minStdDeviation, TimeSpan acceptableHeartbeatPause,
        TimeSpan firstHeartbeatEstimate, TimeProvider timeProvider)
    {
        if (double.IsNaN(threshold) || threshold <= 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minStdDeviation, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(acceptableHeartbeatPause, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstHeartbeatEstimate, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Threshold = threshold;
        _history = new HeartbeatHistory(maxSampleSize);
        _minStdDeviationMs = minStdDeviation.TotalMilliseconds;
        _acceptablePauseMs = acceptableHeartbeatPause.TotalMilliseconds;
        _firstEstimateMs = firstHeartbeatEstimate.TotalMilliseconds;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets φ at or above which the monitored side counts as unavailable.</summary>
    public double Threshold { get; }

    /// <summary>Gets a value indicating whether φ is now below <see cref="Threshold"/>.</summary>
    public bool IsAvailable => Phi() < Threshold;

    /// <summary>Records a heartbeat now.</summary>
    public void Heartbeat()
    {
        lock (_gate)
        {
            long now = _timeProvider.GetTimestamp();
            if (_lastHeartbeat is not long last)
            {
                // As Akka: seed the history with the estimate ± a quarter of it, so φ means something from the start.
                double deviation = _firstEstimateMs / 4;
                _history.Add(_firstEstimateMs - deviation);
                _history.Add(_firstEstimateMs + deviation);
            }
            else if (PhiAt(now, last) < Threshold)
            {
                // As Akka: the first heartbeat after an outage is not an interval, it would skew the statistics.
                _history.Add(_timeProvider.GetElapsedTime(last, now).TotalMilliseconds);
            }

            _lastHeartbeat = now;
        }
    }

    /// <summary>Gets φ now; 0 before the first heartbeat.</summary>
    /// <returns>φ, not negative.</returns>
    public double Phi()
    {
        lock (_gate)
        {
            return _lastHeartbeat is long last ? PhiAt(_timeProvider.GetTimestamp(), last) : 0.0;
        }
    }

    private double PhiAt(long now, long lastHeartbeat)
    {
        double elapsed = _timeProvider.GetElapsedTime(lastHeartbeat, now).TotalMilliseconds;
        double mean = _history.Mean + _acceptablePauseMs;
        double deviation = Math.Max(_history.StandardDeviation, _minStdDeviationMs);
        return PhiOf(elapsed, mean, deviation);
    }

    // Akka's −log10(e / (1 + e)) with e = exp(−z), z = y·(1.5976 + 0.070566·y²), rewritten as softplus(z) / ln 10:
    // the same value, but it stays finite (JSON-serializable) where e underflows to 0 after a long silence.
    internal static double PhiOf(double elapsed, double mean, double deviation)
    {
        double y = (elapsed - mean) / deviation;
        double z = y * (1.5976 + (0.070566 * y * y));
        double softplus = z > 0 ? z + Math.Log(1.0 + Math.Exp(-z)) : Math.Log(1.0 + Math.Exp(z));
        return softplus / Math.Log(10.0);
    }
}

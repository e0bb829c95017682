namespace Resilink.Health;

/// <summary>Computes the health score exactly as documented on <see cref="HealthOptions"/>.</summary>
public static class HealthScorer
{
    /// <summary>Scores one connection.</summary>
    /// <param name="options">The weights and limits; the weights must not all be 0.</param>
    /// <param name="inputs">The connection's measurements.</param>
    /// <returns>The score and its parts, each 0..1.</returns>
    /// <exception cref="ArgumentException">The weights are all 0 (or negative).</exception>
    public static HealthScore Compute(HealthOptions options, in HealthScoreInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(options);
        double weights = options.LatencyWeight + options.SuccessRateWeight + options.StabilityWeight;
        if (!(weights > 0.0))
        {
            throw new ArgumentException("The score weights must not all be 0.", nameof(options));
        }

        double latency = inputs.HasRtt
            ? 1.0 - Math.Min(1.0, Math.Max(0.0, inputs.RttAverage / options.MaxPingLatency))
            : 1.0;
        double success = Math.Clamp(inputs.PingSuccessRate, 0.0, 1.0);
        double stability = 1.0 - Math.Min(1.0, Math.Max(0, inputs.RecentFailures) / (double)options.MaxFailedStreams);
        double score = ((options.LatencyWeight * latency) + (options.SuccessRateWeight * success) + (options.StabilityWeight * stability)) / weights;
        return new HealthScore(score, latency, success, stability);
    }
}

namespace Resilink.Health;

/// <summary>
/// Tuning for <see cref="ConnectionLoadStats"/>. Every property documents its default; the defaults are
/// the Finagle/Linkerd peak-EWMA numbers plus a weight model for weighted round robin.
/// </summary>
public sealed class ConnectionLoadStatsOptions
{
    /// <summary>
    /// Gets or sets the decay time τ of the peak-EWMA latency: an older cost weighs w = exp(−Δt/τ).
    /// Default: 10 seconds (Finagle <c>PeakEwma</c>, Linkerd). Must be positive.
    /// </summary>
    public TimeSpan PeakEwmaDecayTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the smoothing factor α of the failure-rate EWMA, applied per recorded outcome:
    /// rate = rate·(1 − α) + α·(1 if failure else 0). Default: 0.1 (about the last 10 outcomes dominate).
    /// Must be in (0, 1].
    /// </summary>
    public double FailureRateSmoothing { get; set; } = 0.1;

    /// <summary>
    /// Gets or sets the factor the weight is multiplied by on each failure. Default: 0.5. Must be in [0, 1).
    /// </summary>
    public double WeightDropFactor { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the floor of the weight, so that a failed connection still gets an occasional pick and
    /// can prove it recovered. Default: 0.05. Must be in (0, 1].
    /// </summary>
    public double MinimumWeight { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets how much weight comes back per second without failures (linear, capped at 1.0).
    /// Default: 0.05 per second, so the floor recovers to full weight in about 19 seconds, a little longer
    /// than gRPC's 10 s weighted-round-robin blackout. Must be positive.
    /// </summary>
    public double WeightRecoveryPerSecond { get; set; } = 0.05;

    internal void Validate()
    {
        if (PeakEwmaDecayTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PeakEwmaDecayTime), PeakEwmaDecayTime, "Must be positive.");
        }

        if (!(FailureRateSmoothing > 0 && FailureRateSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FailureRateSmoothing), FailureRateSmoothing, "Must be in (0, 1].");
        }

        if (!(WeightDropFactor >= 0 && WeightDropFactor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDropFactor), WeightDropFactor, "Must be in [0, 1).");
        }

        if (!(MinimumWeight > 0 && MinimumWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumWeight), MinimumWeight, "Must be in (0, 1].");
        }

        if (!(WeightRecoveryPerSecond > 0) || double.IsInfinity(WeightRecoveryPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightRecoveryPerSecond), WeightRecoveryPerSecond, "Must be positive and finite.");
        }
    }
}

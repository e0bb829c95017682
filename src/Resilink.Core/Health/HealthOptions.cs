using Microsoft.Extensions.Options;

namespace Resilink.Health;

/// <summary>
/// Health monitoring of connections: how often each one is pinged, how its score is computed, when its status
/// changes, and when it is replaced. Off by default. Mutable; call <see cref="Validate"/> to check every setting at once.
/// </summary>
/// <remarks>
/// <para>The score (0..1) is the weighted mean of three parts, each in 0..1 (computed by <c>HealthScorer</c>):</para>
/// <list type="bullet">
/// <item><description>latency L = 1 − min(1, RTT EWMA / <see cref="MaxPingLatency"/>), 1 before the first ping;</description></item>
/// <item><description>success S = answered pings / sent pings over the last <see cref="PingSuccessWindowSize"/> pings, 1 before the first;</description></item>
/// <item><description>stability T = 1 − min(1, failures within <see cref="FailureMemory"/> / <see cref="MaxFailedStreams"/>)
/// where failures are failed or reset streams and connection errors (ping failures count in S, not here).</description></item>
/// </list>
/// <para>score = (<see cref="LatencyWeight"/>·L + <see cref="SuccessRateWeight"/>·S + <see cref="StabilityWeight"/>·T) / (sum of the weights).</para>
/// </remarks>
public sealed class HealthOptions
{
    /// <summary>Turns monitoring on. Off, connections are never pinged, scored or replaced. Default: false.</summary>
    public bool EnableHealthMonitoring { get; set; }

    /// <summary>Time between two pings of the same connection; positive. Default: 60 s.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = HealthConstants.DefaultHealthCheckInterval;

    /// <summary>A ping unanswered this long counts as failed; positive. Default: 5 s.</summary>
    public TimeSpan PingTimeout { get; set; } = HealthConstants.DefaultPingTimeout;

    /// <summary>Score under which a connection is <see cref="HealthStatus.Unhealthy"/>: it gets no new streams and is replaced. 0..1. Default: 0.3.</summary>
    public double MinHealthThreshold { get; set; } = HealthConstants.DefaultMinHealthThreshold;

    /// <summary>Score under which a connection is <see cref="HealthStatus.Degraded"/>; at least <see cref="MinHealthThreshold"/>, at most 1. Default: 0.7.</summary>
    public double HealthyThreshold { get; set; } = HealthConstants.DefaultHealthyThreshold;

    /// <summary>Weight of the latency part of the score, 0..1. Default: 0.4.</summary>
    public double LatencyWeight { get; set; } = HealthConstants.DefaultLatencyWeight;

    /// <summary>Weight of the ping success part of the score, 0..1. Default: 0.4.</summary>
    public double SuccessRateWeight { get; set; } = HealthConstants.DefaultSuccessRateWeight;

    /// <summary>Weight of the stability part of the score, 0..1. Default: 0.2. The three weights must not all be 0.</summary>
    public double StabilityWeight { get; set; } = HealthConstants.DefaultStabilityWeight;

    /// <summary>RTT at which the latency part reaches 0; an RTT EWMA above it makes the connection at best Degraded; positive. Default: 1000 ms.</summary>
    public TimeSpan MaxPingLatency { get; set; } = HealthConstants.DefaultMaxPingLatency;

    /// <summary>A ping success rate under this makes the connection at best Degraded. 0..1. Default: 0.7.</summary>
    public double MinPingSuccessRate { get; set; } = HealthConstants.DefaultMinPingSuccessRate;

    /// <summary>Failures within <see cref="FailureMemory"/> at which stability reaches 0; more make the connection at best Degraded. At least 1. Default: 5.</summary>
    public int MaxFailedStreams { get; set; } = HealthConstants.DefaultMaxFailedStreams;

    /// <summary>How long a failure counts against stability; positive. Default: 5 min.</summary>
    public TimeSpan FailureMemory { get; set; } = HealthConstants.DefaultFailureMemory;

    /// <summary>
    /// Consecutive evaluations worse than the current status needed to move down to it, and consecutive failed pings
    /// that make a connection <see cref="HealthStatus.Dead"/>. At least 1. Default: 3.
    /// </summary>
    public int FailureThreshold { get; set; } = HealthConstants.DefaultFailureThreshold;

    /// <summary>Consecutive evaluations better than the current status needed to move up to it. At least 1. Default: 2.</summary>
    public int RecoveryThreshold { get; set; } = HealthConstants.DefaultRecoveryThreshold;

    /// <summary>Length of the rolling window of bytes in and out (current, average and peak rate); at least 1 s. Default: 60 s.</summary>
    public TimeSpan BandwidthWindow { get; set; } = HealthConstants.DefaultBandwidthWindow;

    /// <summary>RTT samples kept for the percentiles; 1..100,000. Default: 100.</summary>
    public int LatencyWindowSize { get; set; } = HealthConstants.DefaultLatencyWindowSize;

    /// <summary>Latest pings over which the success rate is computed; 1..10,000. Default: 20.</summary>
    public int PingSuccessWindowSize { get; set; } = HealthConstants.DefaultPingSuccessWindowSize;

    /// <summary>Entries kept in each connection's error history and lifecycle event history; 1..10,000. Default: 50.</summary>
    public int HistorySize { get; set; } = HealthConstants.DefaultHistorySize;

    /// <summary>
    /// Phi of the accrual failure detector (over ping answers) at which a connection is <see cref="HealthStatus.Dead"/>
    /// at once; positive. Default: 8.0 (Akka, Cassandra).
    /// </summary>
    public double PhiThreshold { get; set; } = HealthConstants.DefaultPhiThreshold;

    /// <summary>Floor of the standard deviation of ping-answer intervals in the failure detector; positive. Default: 100 ms (Akka).</summary>
    public TimeSpan PhiMinStdDeviation { get; set; } = HealthConstants.DefaultPhiMinStdDeviation;

    /// <summary>
    /// Extra silence the failure detector tolerates beyond the mean interval; not negative. Default: 0, because
    /// <see cref="PingTimeout"/> already is the tolerated pause (Akka's 3 s is for 1 s heartbeats without timeouts).
    /// </summary>
    public TimeSpan PhiAcceptableHeartbeatPause { get; set; } = TimeSpan.Zero;

    /// <summary>Intervals kept by the failure detector; 1..100,000. Default: 1000 (Akka).</summary>
    public int PhiMaxSampleSize { get; set; } = HealthConstants.DefaultPhiMaxSampleSize;

    /// <summary>Replace Unhealthy and Dead connections with new dials (keeping the peer's connection count). Default: true.</summary>
    public bool ReplaceUnhealthyConnections { get; set; } = true;

    /// <summary>
    /// How long a connection taken out of rotation may keep serving its in-flight streams before it is closed anyway;
    /// not negative. Default: 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = HealthConstants.DefaultDrainTimeout;

    /// <summary>Pings in flight at once across all connections; at least 1. Default: 256.</summary>
    public int MaxConcurrentPings { get; set; } = HealthConstants.DefaultMaxConcurrentPings;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectErrors(errors, prefix: "");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(HealthOptions), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal void CollectErrors(List<string> errors, string prefix)
    {
        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{prefix}{name} must be positive (was {value}).");
            }
        }

        void Fraction(double value, string name)
        {
            if (double.IsNaN(value) || value < 0.0 || value > 1.0)
            {
                errors.Add($"{prefix}{name} must be between 0 and 1 (was {value}).");
            }
        }

        void InRange(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                errors.Add($"{prefix}{name} must be between {min} and {max} (was {value}).");
            }
        }

        Positive(HealthCheckInterval, nameof(HealthCheckInterval));
        Positive(PingTimeout, nameof(PingTimeout));
        Positive(MaxPingLatency, nameof(MaxPingLatency));
        Positive(FailureMemory, nameof(FailureMemory));
        Positive(PhiMinStdDeviation, nameof(PhiMinStdDeviation));
        Fraction(MinHealthThreshold, nameof(MinHealthThreshold));
        Fraction(HealthyThreshold, nameof(HealthyThreshold));
        Fraction(LatencyWeight, nameof(LatencyWeight));
        Fraction(SuccessRateWeight, nameof(SuccessRateWeight));
        Fraction(StabilityWeight, nameof(StabilityWeight));
        Fraction(MinPingSuccessRate, nameof(MinPingSuccessRate));
        if (HealthyThreshold < MinHealthThreshold)
        {
            errors.Add($"{prefix}{nameof(HealthyThreshold)} ({HealthyThreshold}) must not be below {nameof(MinHealthThreshold)} ({MinHealthThreshold}).");
        }
        if (LatencyWeight + SuccessRateWeight + StabilityWeight <= 0.0)
        {
            errors.Add($"{prefix}{nameof(LatencyWeight)}, {nameof(SuccessRateWeight)} and {nameof(StabilityWeight)} must not all be 0.");
        }
        InRange(MaxFailedStreams, 1, int.MaxValue, nameof(MaxFailedStreams));
        InRange(FailureThreshold, 1, 1000, nameof(FailureThreshold));
        InRange(RecoveryThreshold, 1, 1000, nameof(RecoveryThreshold));
        InRange(LatencyWindowSize, 1, 100_000, nameof(LatencyWindowSize));
        InRange(PingSuccessWindowSize, 1, 10_000, nameof(PingSuccessWindowSize));
        InRange(HistorySize, 1, 10_000, nameof(HistorySize));
        InRange(PhiMaxSampleSize, 1, 100_000, nameof(PhiMaxSampleSize));
        InRange(MaxConcurrentPings, 1, int.MaxValue, nameof(MaxConcurrentPings));
        if (BandwidthWindow < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{prefix}{nameof(BandwidthWindow)} must be at least 1 s (was {BandwidthWindow}).");
        }
        if (double.IsNaN(PhiThreshold) || PhiThreshold <= 0.0)
        {
            errors.Add($"{prefix}{nameof(PhiThreshold)} must be positive (was {PhiThreshold}).");
        }
        if (PhiAcceptableHeartbeatPause < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(PhiAcceptableHeartbeatPause)} must not be negative (was {PhiAcceptableHeartbeatPause}).");
        }
        if (DrainTimeout < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(DrainTimeout)} must not be negative (was {DrainTimeout}).");
        }
    }
}

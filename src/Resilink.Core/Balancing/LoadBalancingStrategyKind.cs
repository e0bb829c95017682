namespace Resilink.Balancing;

/// <summary>The built-in load-balancing strategies, created by <see cref="LoadBalancingStrategies.Create"/>.</summary>
public enum LoadBalancingStrategyKind
{
    /// <summary>Each connection in turn.</summary>
    RoundRobin,

    /// <summary>Fewest <see cref="Health.IHealthTracked.ActiveStreams"/>; ties rotate.</summary>
    LeastLoaded,

    /// <summary>Uniformly random.</summary>
    Random,

    /// <summary>Oldest <see cref="Health.ConnectionLoadStats.LastUsedTimestamp"/>; ties rotate.</summary>
    LeastRecentlyUsed,

    /// <summary>Smooth weighted round robin (nginx) over an efficiency score of weight, failure rate and latency.</summary>
    WeightedRoundRobin,

    /// <summary>Highest <see cref="Health.ConnectionLoadStats.HealthScore"/>; ties go to fewer outstanding streams, then rotate.</summary>
    HealthBased,

    /// <summary>Lowest peak-EWMA latency; connections never measured are probed first.</summary>
    LatencyBased,

    /// <summary>Two distinct random candidates, the one with the lower peak-EWMA load wins (Finagle, Linkerd, YARP's default).</summary>
    PowerOfTwoChoices,
}

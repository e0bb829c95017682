namespace Resilink.Balancing;

/// <summary>Creates the built-in <see cref="ILoadBalancingStrategy"/> implementations.</summary>
public static class LoadBalancingStrategies
{
    /// <summary>Creates a new instance of the strategy of the given kind.</summary>
    /// <param name="kind">The strategy.</param>
    /// <param name="timeProvider">
    /// The clock the time-aware strategies read once per selection to decay latencies and recover weights. It must be
    /// the clock of the candidates' <see cref="Health.ConnectionLoadStats"/>. When <see langword="null"/> (the
    /// default), the clock of the first candidate's stats is used, which is always consistent.
    /// </param>
    /// <param name="random">
    /// The randomness of <see cref="LoadBalancingStrategyKind.Random"/> and
    /// <see cref="LoadBalancingStrategyKind.PowerOfTwoChoices"/>, for example a seeded instance in tests; used under a
    /// lock on the instance. <see cref="Random.Shared"/> when <see langword="null"/>.
    /// </param>
    /// <returns>A new, thread-safe strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static ILoadBalancingStrategy Create(
        LoadBalancingStrategyKind kind, TimeProvider? timeProvider = null, Random? random = null) => kind switch
        {
            LoadBalancingStrategyKind.RoundRobin => new RoundRobinStrategy(),
            LoadBalancingStrategyKind.LeastLoaded => new LeastLoadedStrategy(),
            LoadBalancingStrategyKind.Random => new RandomStrategy(new RandomSource(random)),
            LoadBalancingStrategyKind.LeastRecentlyUsed => new LeastRecentlyUsedStrategy(),
            LoadBalancingStrategyKind.WeightedRoundRobin => new WeightedRoundRobinStrategy(timeProvider),
            LoadBalancingStrategyKind.HealthBased => new HealthBasedStrategy(),
            LoadBalancingStrategyKind.LatencyBased => new LatencyBasedStrategy(),
            LoadBalancingStrategyKind.PowerOfTwoChoices => new PowerOfTwoChoicesStrategy(timeProvider, new RandomSource(random)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown load-balancing strategy."),
        };
}

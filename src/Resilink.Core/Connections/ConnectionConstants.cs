namespace Resilink.Connections;

/// <summary>Defaults of <see cref="ConnectionOptions"/> and the load-balancing strategy names it accepts.</summary>
public static class ConnectionConstants
{
    /// <summary>Default <see cref="ConnectionOptions.MaxConnectionsPerPeer"/>: 3.</summary>
    public const int DefaultMaxConnectionsPerPeer = 3;

    /// <summary>Default <see cref="ConnectionOptions.MinConnectionsPerPeer"/>: 1.</summary>
    public const int DefaultMinConnectionsPerPeer = 1;

    /// <summary>Default <see cref="ConnectionOptions.LoadBalancingStrategy"/>: <c>RoundRobin</c>.</summary>
    public const string DefaultLoadBalancingStrategy = "RoundRobin";

    /// <summary>Default <see cref="ConnectionOptions.ConnectionTimeout"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultConnectionTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every accepted <see cref="ConnectionOptions.LoadBalancingStrategy"/> (compared case-insensitively); the same names
    /// as the members of the balancing strategy enum.
    /// </summary>
    public static IReadOnlyList<string> LoadBalancingStrategyNames { get; } =
    [
        "RoundRobin", "LeastLoaded", "Random", "LeastRecentlyUsed", "WeightedRoundRobin", "HealthBased", "LatencyBased",
        "PowerOfTwoChoices",
    ];
}

using Resilink.Balancing;

namespace Resilink.Pooling;

/// <summary>Defaults of <see cref="ConnectionPoolOptions"/> and <see cref="PoolSizingOptions"/>, and why they are what they are.</summary>
public static class ConnectionPoolConstants
{
    /// <summary>Default <see cref="ConnectionPoolOptions.MinSize"/>: 1, so the first request finds a warm connection.</summary>
    public const int DefaultMinSize = 1;

    /// <summary>Default <see cref="ConnectionPoolOptions.MaxSize"/>: 10, HikariCP's <c>maximumPoolSize</c>.</summary>
    public const int DefaultMaxSize = 10;

    /// <summary>Default <see cref="ConnectionPoolOptions.MaxLeasesPerConnection"/>: 1, an exclusive lease (a database connection).</summary>
    public const int DefaultMaxLeasesPerConnection = 1;

    /// <summary>
    /// Default <see cref="ConnectionPoolOptions.LoadBalancingStrategy"/>: <see cref="LoadBalancingStrategyKind.LeastLoaded"/>, which
    /// spreads leases evenly over multiplexed connections and picks a free one of exclusive ones.
    /// </summary>
    public const LoadBalancingStrategyKind DefaultLoadBalancingStrategy = LoadBalancingStrategyKind.LeastLoaded;

    /// <summary>Default <see cref="PoolSizingOptions.GrowUtilization"/>: 0.8 of the lease capacity in use.</summary>
    public const double DefaultGrowUtilization = 0.8;

    /// <summary>Default <see cref="ConnectionPoolOptions.AcquireTimeout"/>: 30 s, HikariCP's <c>connectionTimeout</c>.</summary>
    public static readonly TimeSpan DefaultAcquireTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Default health check interval of a pool (<see cref="ConnectionPoolOptions.Health"/>): 15 s, YARP's active check
    /// interval — a pooled client is probed more often than a libp2p connection (60 s), as a pool has few connections.
    /// </summary>
    public static readonly TimeSpan DefaultHealthCheckInterval = TimeSpan.FromSeconds(15);

    /// <summary>Default <see cref="PoolSizingOptions.Interval"/>: 1 s between two samples of the pool's load.</summary>
    public static readonly TimeSpan DefaultSizingInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="PoolSizingOptions.IdleTimeout"/>: 5 min unused before a connection above the minimum is closed.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted timeout or interval of the pool's options: 1 day.</summary>
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(1);
}

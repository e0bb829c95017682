using Microsoft.Extensions.Logging;
using Resilink.Health;
using Resilink.Pooling;
using Resilink.Redis;
using Resilink.Resilience;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>A pool of multiplexers with the primary on one real server and the secondary on another, on short clocks.</summary>
internal static class FailoverPoolSetup
{
    /// <summary>Load workers; each has at most one operation in flight.</summary>
    public const int Workers = 4;

    /// <summary>Connections per endpoint: MinSize = MaxSize, so nothing else opens while all is well.</summary>
    public const int Connections = 2;

    /// <summary>How long the restarted primary must stay quiet before the pool returns to it.</summary>
    public static readonly TimeSpan FailbackDelay = TimeSpan.FromSeconds(1.5);

    public static ConnectionPool<IConnectionMultiplexer> Create(RedisServer primary, RedisServer secondary, ILoggerFactory logs) => new(
        new ConnectionPoolOptions
        {
            MinSize = Connections,
            MaxSize = Connections,
            MaxLeasesPerConnection = Workers, // a multiplexer is shared: every worker may be on the same one
            AcquireTimeout = TimeSpan.FromSeconds(5),
            Health = new HealthOptions
            {
                EnableHealthMonitoring = true,
                HealthCheckInterval = TimeSpan.FromMilliseconds(250),
                PingTimeout = TimeSpan.FromSeconds(1),
            },
            Reconnect = new ReconnectOptions
            {
                InitialDelay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromMilliseconds(500),
                MaxAttempts = 100,
                ConnectionTimeout = TimeSpan.FromSeconds(5),
            },
            Failover = new FailoverOptions { FailureThreshold = 3, FailbackDelay = FailbackDelay, SwitchTimeout = TimeSpan.FromSeconds(5) },
            // Fixed size; the samples still run maintenance, which probes the failed primary (every health interval).
            Sizing = new PoolSizingOptions { Enabled = false, Interval = TimeSpan.FromMilliseconds(250) },
        },
        new RedisConnectionFactory(RedisClientOptions.For(primary.Configuration)),
        new RedisConnectionFactory(RedisClientOptions.For(secondary.Configuration)),
        loggerFactory: logs);
}

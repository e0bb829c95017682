using Resilink.Health;
using Resilink.Pooling;
using Resilink.Redis;
using StackExchange.Redis;

namespace Resilink.E2e.Scenarios.Redis;

/// <summary>The client settings shared by the Redis scenarios.</summary>
internal static class RedisClients
{
    /// <summary>
    /// StackExchange.Redis options for <paramref name="configuration"/>, the same for the direct client and the pool's:
    /// <see cref="BacklogPolicy.FailFast"/> so a command to a dead server fails at once instead of queueing for a
    /// reconnect (what lets the pool, not the client, move work elsewhere).
    /// </summary>
    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AbortOnConnectFail = true;
        return options;
    }

    /// <summary>
    /// A pool of <paramref name="connections"/> shared multiplexers (every worker may lease the same one), defaults
    /// otherwise (LeastLoaded, health checks every 15 s, FailureThreshold 3); with a secondary, failover between them.
    /// </summary>
    public static ConnectionPool<IConnectionMultiplexer> Pool(string primary, string? secondary, int connections, int workers, HealthOptions? health = null)
    {
        var options = new ConnectionPoolOptions
        {
            MinSize = connections,
            MaxSize = connections,
            MaxLeasesPerConnection = workers,
        };
        if (health is not null)
        {
            options.Health = health;
        }
        return new ConnectionPool<IConnectionMultiplexer>(
            options,
            new RedisConnectionFactory(Options(primary)),
            secondary is null ? null : new RedisConnectionFactory(Options(secondary)));
    }
}

using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>StackExchange.Redis settings for the pool tests.</summary>
internal static class RedisClientOptions
{
    /// <summary>
    /// Options for <paramref name="configuration"/>: one connect try per create (<see cref="ConfigurationOptions.ConnectRetry"/>
    /// 1 instead of 3), so a create against a dead server fails after one refusal and the pool's own backoff decides what
    /// comes next. <see cref="Resilink.Redis.RedisConnectionFactory"/> itself forces what makes a dead server visible to the pool
    /// (AbortOnConnectFail, BacklogPolicy.FailFast).
    /// </summary>
    public static ConfigurationOptions For(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.ConnectRetry = 1;
        return options;
    }
}

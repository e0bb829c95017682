using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>StackExchange.Redis settings for the pool tests: a dead server fails commands at once instead of queueing them.</summary>
internal static class RedisClientOptions
{
    /// <summary>
    /// Options for <paramref name="configuration"/>. <see cref="BacklogPolicy.FailFast"/>: without it a multiplexer whose
    /// server died queues new commands for up to <see cref="ConfigurationOptions.AsyncTimeout"/> hoping to reconnect, which
    /// would hide the failure from the pool for seconds; the pool, not the client, decides where the next command goes.
    /// </summary>
    public static ConfigurationOptions For(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 5000;
        options.ConnectRetry = 1;
        options.AsyncTimeout = 5000;
        options.SyncTimeout = 5000;
        return options;
    }
}

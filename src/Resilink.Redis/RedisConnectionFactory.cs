using Resilink.Pooling;
using StackExchange.Redis;

namespace Resilink.Redis;

/// <summary>
/// Creates <see cref="IConnectionMultiplexer"/>s to one Redis server for a <c>ConnectionPool&lt;T&gt;</c>, probes them
/// with <c>PING</c> and closes them.
/// </summary>
/// <remarks>
/// A multiplexer is thread-safe and pipelines every caller's commands over one socket, so a pool of them is used with
/// shared leases. Two settings are forced, because a pool must see a dead server at once to move the work elsewhere:
/// <see cref="ConfigurationOptions.AbortOnConnectFail"/> on, so a server that is down fails <see cref="CreateAsync"/> and the
/// pool's own backoff, breaker and failover decide what happens next instead of a multiplexer retrying in the background;
/// and <see cref="ConfigurationOptions.BacklogPolicy"/> <see cref="BacklogPolicy.FailFast"/>, so a command to a server that
/// died fails at once instead of waiting in the multiplexer's backlog for a reconnect (up to its async timeout, 5 s).
/// </remarks>
public sealed class RedisConnectionFactory : IConnectionFactory<IConnectionMultiplexer>
{
    private readonly ConfigurationOptions _configuration;

    /// <summary>Creates a factory from a StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    /// <param name="configuration">The configuration string; its first endpoint names the factory.</param>
    public RedisConnectionFactory(string configuration)
        : this(ConfigurationOptions.Parse(configuration ?? throw new ArgumentNullException(nameof(configuration))))
    {
    }

    /// <summary>Creates a factory from StackExchange.Redis options (copied; later changes to them are not seen).</summary>
    /// <param name="configuration">The options; at least one endpoint.</param>
    public RedisConnectionFactory(ConfigurationOptions configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration names no endpoint.", nameof(configuration));
        }
        _configuration = configuration.Clone();
        _configuration.AbortOnConnectFail = true;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
        Endpoint = "redis://" + string.Join(",", _configuration.EndPoints.Select(Format));
    }

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <inheritdoc />
    public async ValueTask<IConnectionMultiplexer> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // ConnectAsync takes no token (its ConnectTimeout bounds it); a connect abandoned by the pool is closed when it lands.
        var connecting = ConnectionMultiplexer.ConnectAsync(_configuration.Clone());
        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = connecting.ContinueWith(
                static t => t.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
        catch (RedisConnectionException ex)
        {
            throw new IOException($"Could not connect to {Endpoint}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<TimeSpan> CheckHealthAsync(IConnectionMultiplexer connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.IsConnected)
        {
            throw new IOException($"The connection to {Endpoint} is not connected.");
        }
        try
        {
            return await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            throw new IOException($"PING to {Endpoint} failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Format(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "?",
    };
}

using System.Diagnostics;
using Resilink.Health;
using Resilink.Pooling;
using Resilink.Redis;
using Resilink.Resilience;
using Resilink.Tests.Shared;
using StackExchange.Redis;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>A pool of multiplexers against a real redis-server that is down at start, or whose connections are all leased.</summary>
public sealed class RedisPoolBadInputTests : IAsyncLifetime
{
    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly CapturingLoggerFactory _logs = new();
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync(_timeout.Token);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task ServerDownAtStart_StartEndsQuietlyAcquireTimesOutNamingTheEndpointAndThePoolRecoversOnceTheServerIsUp()
    {
        var ct = _timeout.Token;
        await _server.KillAsync();
        var factory = new RedisConnectionFactory(RedisClientOptions.For(_server.Configuration));
        await using var pool = NewPool(factory, maxLeases: 8, maxAttempts: 3);
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var events = pool.SubscribeReconnectEvents(succeeded: (_, _) => opened.TrySetResult());

        // Documented: StartAsync waits for the warm-up opens to connect or give up, and does not throw for those that gave up.
        await pool.StartAsync(ct);
        var error = await Assert.ThrowsAsync<PoolAcquireTimeoutException>(async () => await pool.AcquireAsync(ct));

        Assert.Contains(factory.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("0 open of 1", error.Message, StringComparison.Ordinal);
        Assert.True(pool.GetReconnectionStatistics().GiveUps >= 1, _logs.Describe());
        Assert.True(pool.GetStatistics().OpenFailures >= 3, _logs.Describe());

        // Lazily: the sizing samples keep refilling to MinSize, so the first connect after the restart succeeds.
        await _server.RestartAsync(ct);
        await opened.Task.WaitAsync(ct);
        await using var lease = await pool.AcquireAsync(ct);
        await lease.Connection.GetDatabase().StringSetAsync("k", "v");
        Assert.Equal("v", (await lease.Connection.GetDatabase().StringGetAsync("k")).ToString());
        Assert.Equal(factory.Endpoint, lease.Endpoint);
    }

    [Fact]
    public async Task AllExclusiveLeasesHeld_AcquireTimesOutWithTheSizesAndGetsTheFirstLeaseReturned()
    {
        var ct = _timeout.Token;
        var factory = new RedisConnectionFactory(RedisClientOptions.For(_server.Configuration));
        await using var pool = NewPool(factory, maxLeases: 1, maxAttempts: 3, size: 2);
        await pool.StartAsync(ct);
        var first = await pool.AcquireAsync(ct);
        await using var second = await pool.AcquireAsync(ct);

        var waited = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PoolAcquireTimeoutException>(async () => await pool.AcquireAsync(ct));
        waited.Stop();
        string freed = first.ConnectionId;
        await first.DisposeAsync();
        await using var third = await pool.AcquireAsync(ct);

        Assert.NotEqual(freed, second.ConnectionId);
        Assert.True(waited.Elapsed >= AcquireTimeout - TimeSpan.FromMilliseconds(20), $"gave up after {waited.Elapsed}");
        Assert.Contains("2 open of 2 at most (2 leases out", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 2), (error.Statistics.Size, error.Statistics.LeasesOut));
        Assert.Equal(freed, third.ConnectionId);
        Assert.Equal(1L, pool.GetStatistics().AcquireTimeouts);
        Assert.Equal("PONG", (await third.Connection.GetDatabase().ExecuteAsync("PING")).ToString());
    }

    private ConnectionPool<IConnectionMultiplexer> NewPool(RedisConnectionFactory factory, int maxLeases, int maxAttempts, int size = 1) => new(
        new ConnectionPoolOptions
        {
            MinSize = size,
            MaxSize = size,
            MaxLeasesPerConnection = maxLeases,
            AcquireTimeout = AcquireTimeout,
            Health = new HealthOptions { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromMilliseconds(250) },
            Reconnect = new ReconnectOptions
            {
                InitialDelay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromMilliseconds(200),
                MaxAttempts = maxAttempts,
                ConnectionTimeout = TimeSpan.FromSeconds(5),
            },
            Sizing = new PoolSizingOptions { Interval = TimeSpan.FromMilliseconds(100) },
        },
        factory,
        loggerFactory: _logs);
}

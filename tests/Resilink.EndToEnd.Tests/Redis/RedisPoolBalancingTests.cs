using System.Net;
using Resilink.Balancing;
using Resilink.Health;
using Resilink.Net.Chaos;
using Resilink.Pooling;
using Resilink.Tests.Shared;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>
/// One pool, two connections to one real redis-server: one through the fault-injecting proxy with +200 ms per round trip,
/// one direct. The strategies that read health or latency send nearly all leases to the fast one; round robin does not.
/// </summary>
public sealed class RedisPoolBalancingTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Added by the proxy in each direction (<see cref="FaultProfile.Latency"/> is one-way): +200 ms per round trip.</summary>
    private static readonly TimeSpan OneWayDelay = TimeSpan.FromMilliseconds(100);

    private const int Operations = 200;
    private const int Workers = 8;

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly CapturingLoggerFactory _logs = new();
    private RedisServer _server = null!;
    private FaultInjectingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(_timeout.Token);
        _proxy = await FaultInjectingProxy.StartAsync(
            new IPEndPoint(IPAddress.Loopback, _server.Port), new FaultProfile { Latency = OneWayDelay }, ct: _timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
        _timeout.Dispose();
    }

    [Theory]
    [InlineData(LoadBalancingStrategyKind.HealthBased)]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    [InlineData(LoadBalancingStrategyKind.PowerOfTwoChoices)]
    public async Task OneConnectionSlowedBy200Ms_HealthOrLatencyAwareStrategySendsMostLeasesToTheFastOne(LoadBalancingStrategyKind strategy)
    {
        double fastShare = await RunAsync(strategy);

        Assert.True(fastShare >= 0.9, $"{strategy}: only {fastShare:P1} of the leases went to the fast connection.\n{_logs.Describe()}");
    }

    [Fact]
    public async Task OneConnectionSlowedBy200Ms_RoundRobinStillSplitsLeasesEvenly()
    {
        double fastShare = await RunAsync(LoadBalancingStrategyKind.RoundRobin);

        // The contrast: blind to latency, it alternates (lease counts, not time: the slow leases just take longer).
        Assert.InRange(fastShare, 0.4, 0.6);
    }

    /// <summary>Runs <see cref="Operations"/> GETs through a pool of one slow and one fast connection; returns the fast one's share of the leases.</summary>
    private async Task<double> RunAsync(LoadBalancingStrategyKind strategy)
    {
        var ct = _timeout.Token;
        var factory = new SlowAndFastRedisFactory(_server.Configuration, $"127.0.0.1:{_proxy.ListenEndPoint.Port}");
        await using var pool = new ConnectionPool<IConnectionMultiplexer>(
            new ConnectionPoolOptions
            {
                MinSize = 2,
                MaxSize = 2,
                MaxLeasesPerConnection = Workers,
                LoadBalancingStrategy = strategy,
                Health = new HealthOptions
                {
                    EnableHealthMonitoring = true,
                    HealthCheckInterval = TimeSpan.FromMilliseconds(200),
                    PingTimeout = TimeSpan.FromSeconds(2), // the slow PING takes 200 ms: measured, not failed
                },
                Sizing = new PoolSizingOptions { Enabled = false },
            },
            factory,
            loggerFactory: _logs);
        await pool.StartAsync(ct);
        // The strategies read the pings' figures: start once both connections have been checked a few times.
        await Poll.UntilAsync(
            () => pool.GetHealthStatistics() is { TotalConnections: 2 } summary
                && summary.Peers.SelectMany(p => p.Connections).All(c => c.PingsSent >= 3 && c.Status != HealthStatus.Unknown),
            TimeSpan.FromMilliseconds(50),
            () => $"both connections checked; {_logs.Describe()}",
            ct);

        int next = -1, fast = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < Operations)
            {
                await using var lease = await pool.AcquireAsync(ct);
                await lease.Connection.GetDatabase().StringGetAsync("k");
                if (!factory.IsSlow(lease.Connection))
                {
                    Interlocked.Increment(ref fast);
                }
            }
        }, ct)));

        double share = (double)fast / Operations;
        var connections = pool.GetHealthStatistics().Peers.SelectMany(p => p.Connections);
        output.WriteLine($"{strategy}: {share:P1} of {Operations} leases on the fast connection; " +
            string.Join("; ", connections.Select(c => $"{c.ConnectionId} score {c.Score:0.00} rtt {c.Rtt.Average.TotalMilliseconds:0.0} ms")));
        return share;
    }
}

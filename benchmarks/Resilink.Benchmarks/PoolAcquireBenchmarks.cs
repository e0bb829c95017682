using BenchmarkDotNet.Attributes;
using Resilink.Balancing;
using Resilink.Pooling;

namespace Resilink.Benchmarks;

/// <summary>
/// The fast path of <see cref="ConnectionPool{T}"/>: <c>AcquireAsync</c> and the lease's dispose on a warm pool (every
/// connection open and healthy, nothing waiting), per strategy and lease mode. Health checks and sizing samples run at
/// their intervals in the background, as in production, but far apart (1 min).
/// </summary>
[MemoryDiagnoser]
public class PoolAcquireBenchmarks
{
    private ConnectionPool<object> _pool = null!;

    /// <summary>Gets or sets the strategy.</summary>
    [Params(LoadBalancingStrategyKind.RoundRobin, LoadBalancingStrategyKind.LeastLoaded, LoadBalancingStrategyKind.PowerOfTwoChoices)]
    public LoadBalancingStrategyKind Strategy { get; set; }

    /// <summary>Gets or sets the leases one connection may have out: 1 exclusive (a database), 64 shared (a multiplexer).</summary>
    [Params(1, 64)]
    public int MaxLeasesPerConnection { get; set; }

    /// <summary>Opens a pool of 8 connections.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = new ConnectionPoolOptions
        {
            MinSize = 8,
            MaxSize = 8,
            MaxLeasesPerConnection = MaxLeasesPerConnection,
            LoadBalancingStrategy = Strategy,
            Health = new() { EnableHealthMonitoring = true, HealthCheckInterval = TimeSpan.FromMinutes(1) },
            Sizing = new() { Interval = TimeSpan.FromMinutes(1) },
        };
        _pool = new ConnectionPool<object>(options, new BenchFactory());
        _pool.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Closes the pool.</summary>
    [GlobalCleanup]
    public void Cleanup() => _pool.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One acquire and one dispose.</summary>
    [Benchmark]
    public async ValueTask AcquireAndDispose()
    {
        var lease = await _pool.AcquireAsync().ConfigureAwait(false);
        await lease.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class BenchFactory : IConnectionFactory<object>
    {
        public string Endpoint => "bench://pool";

        public ValueTask<object> CreateAsync(CancellationToken cancellationToken) => new(new object());

        public ValueTask<TimeSpan> CheckHealthAsync(object connection, CancellationToken cancellationToken) => new(TimeSpan.FromMilliseconds(1));

        public ValueTask CloseAsync(object connection) => default;
    }
}

using Resilink.Balancing;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolStrategyTests
{
    public static TheoryData<LoadBalancingStrategyKind> Kinds() => [.. Enum.GetValues<LoadBalancingStrategyKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AcquireAsync_EveryStrategy_LendsOnlyFreeConnectionsAndUsesThemAll(LoadBalancingStrategyKind kind)
    {
        var options = PoolHarness.Options(min: 3, max: 3);
        options.LoadBalancingStrategy = kind;
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        await h.Pool.HealthMonitor.CheckAllAsync(); // scores and latencies for the health- and latency-based kinds

        // Exclusive: three leases at once must be three different connections, whatever the strategy prefers.
        var leases = new[] { await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync() };
        Assert.Equal(3, leases.Select(l => l.Connection).Distinct().Count());
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
        for (int i = 0; i < 30; i++)
        {
            using var lease = await h.Pool.AcquireAsync();
        }

        Assert.Equal((3, 33L, 33L, 3L), (h.Stats.Size, h.Stats.Acquired, h.Stats.Released, h.Stats.Opened));
    }

    [Fact]
    public async Task AcquireAsync_LeastLoadedSharedConnections_SpreadsLeasesEvenly()
    {
        var options = PoolHarness.Options(min: 3, max: 3, leases: 10);
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();

        var leases = new List<ConnectionLease<FakePoolConnection>>();
        for (int i = 0; i < 12; i++)
        {
            leases.Add(await h.Pool.AcquireAsync());
        }

        Assert.All(leases.GroupBy(l => l.Connection), g => Assert.Equal(4, g.Count()));
        leases.ForEach(l => l.Dispose());
    }

    [Theory]
    [InlineData(LoadBalancingStrategyKind.LatencyBased)]
    [InlineData(LoadBalancingStrategyKind.PowerOfTwoChoices)]
    public async Task AcquireAsync_LatencyAwareStrategy_SendsSharedLeasesToTheFastConnection(LoadBalancingStrategyKind kind)
    {
        var options = PoolHarness.Options(min: 2, max: 2, leases: 100);
        options.LoadBalancingStrategy = kind;
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        var (slow, fast) = (h.Primary.Created[0], h.Primary.Created[1]);
        slow.Latency = TimeSpan.FromMilliseconds(200);
        await h.Pool.HealthMonitor.CheckAllAsync(); // the health engine's pings feed the strategies' latency

        var leases = new List<ConnectionLease<FakePoolConnection>>();
        for (int i = 0; i < 20; i++)
        {
            leases.Add(await h.Pool.AcquireAsync());
        }

        int onFast = leases.Count(l => l.Connection == fast);
        Assert.True(onFast >= 15, $"{onFast} of 20 leases on the fast connection");
        leases.ForEach(l => l.Dispose());
    }
}

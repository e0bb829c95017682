using Resilink.Balancing;
using Resilink.Cli.Demo;

namespace Resilink.EndToEnd.Tests.Cli.Demo;

/// <summary>The percentiles of the demo's summary and how requests are tallied per strategy.</summary>
public sealed class LatencyPercentilesTests
{
    [Fact]
    public void Of_HundredSamples_NearestRank()
    {
        double[] samples = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

        Assert.Equal(50, LatencyPercentiles.Of(samples, 50));
        Assert.Equal(99, LatencyPercentiles.Of(samples, 99));
        Assert.Equal(100, LatencyPercentiles.Of(samples, 100));
    }

    [Fact]
    public void Of_FewSamples_TheTailIsTheLargest()
    {
        double[] samples = [1, 2, 3];

        Assert.Equal(2, LatencyPercentiles.Of(samples, 50));
        Assert.Equal(3, LatencyPercentiles.Of(samples, 99));
        Assert.Equal(7, LatencyPercentiles.Of([7], 50));
    }

    [Fact]
    public void Of_NoSamples_IsNull()
    {
        Assert.Null(LatencyPercentiles.Of([], 50));
    }

    [Fact]
    public void Snapshot_SplitsFailuresByConnectionAndStrategy()
    {
        var stats = new RequestStats();
        for (var i = 1; i <= 10; i++)
        {
            stats.Succeeded(LoadBalancingStrategyKind.RoundRobin, TimeSpan.FromMilliseconds(i));
        }
        stats.Succeeded(LoadBalancingStrategyKind.HealthBased, TimeSpan.FromMilliseconds(4));
        stats.Failed(LoadBalancingStrategyKind.RoundRobin, onFaultedConnection: true, "black hole");
        stats.Failed(LoadBalancingStrategyKind.HealthBased, onFaultedConnection: false, "bug");

        var totals = stats.Snapshot();

        Assert.Equal(13, totals.Requests);
        Assert.Equal(1, totals.FailedOnFaulted);
        Assert.Equal(1, totals.FailedOnHealthy);
        Assert.Equal(["bug"], totals.HealthyFailureMessages);
        var roundRobin = Assert.Single(totals.Strategies, s => s.Strategy == LoadBalancingStrategyKind.RoundRobin);
        Assert.Equal((11, 5.0, 10.0), (roundRobin.Requests, roundRobin.P50Ms!.Value, roundRobin.P99Ms!.Value));
    }
}

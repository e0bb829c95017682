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

    [Fact]
    public void Histogram_ManySpreadSamples_PercentilesAreMeasuredValuesWithinOnePercentAboveTheExactOnes()
    {
        var random = new Random(42);
        var histogram = new LatencyHistogram();
        var samples = new List<double>();
        for (var i = 0; i < 200_000; i++)
        {
            // Log-uniform from 0.05 ms to 5 s: the spread of a demo run, tail included.
            var ms = 0.05 * Math.Pow(100_000, random.NextDouble());
            samples.Add(ms);
            histogram.Add(ms);
        }
        samples.Sort();

        foreach (var p in new[] { 1.0, 50, 90, 99, 99.9, 100 })
        {
            var exact = LatencyPercentiles.Of(samples, p)!.Value;
            var approx = histogram.Percentile(p)!.Value;
            Assert.True(approx >= exact && approx <= exact * 1.01, $"p{p}: {approx} vs exact {exact}");
            Assert.Contains(approx, samples); // really measured
        }
    }

    [Fact]
    public void Histogram_SamplesOutsideItsRange_AreKeptAtTheirValue()
    {
        var histogram = new LatencyHistogram();
        histogram.Add(0.001);
        histogram.Add(1_000_000);

        Assert.Equal(2, histogram.Count);
        Assert.Equal(0.001, histogram.Percentile(50));
        Assert.Equal(1_000_000, histogram.Percentile(100));
        Assert.Null(new LatencyHistogram().Percentile(99));
    }

    [Fact]
    public void Counts_LeavesOutThePercentiles()
    {
        var stats = new RequestStats();
        stats.Succeeded(LoadBalancingStrategyKind.RoundRobin, TimeSpan.FromMilliseconds(3));
        stats.Failed(LoadBalancingStrategyKind.RoundRobin, onFaultedConnection: true, "black hole");

        var counts = Assert.Single(stats.Counts().Strategies);

        Assert.Equal((2, 1, (double?)null, (double?)null), (counts.Requests, counts.Failed, counts.P50Ms, counts.P99Ms));
        Assert.Equal(3.0, Assert.Single(stats.Snapshot().Strategies).P50Ms);
    }
}

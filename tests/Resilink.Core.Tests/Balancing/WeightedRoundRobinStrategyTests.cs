using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Core.Tests.Balancing;

public class WeightedRoundRobinStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.WeightedRoundRobin);

    [Theory]
    [InlineData(1.0, 0.0, 0.0, 1.0)]
    [InlineData(0.5, 0.0, 0.0, 0.5)]
    [InlineData(1.0, 0.25, 0.0, 0.75)]
    [InlineData(1.0, 0.0, 0.1, 0.5)]
    [InlineData(0.5, 0.5, 0.3, 0.0625)]
    [InlineData(0.05, 1.0, 1.0, WeightedRoundRobinStrategy.MinimumEfficiency)]
    public void Efficiency_Inputs_FollowsDocumentedFormula(double weight, double failureRate, double latency, double expected)
    {
        Assert.Equal(expected, WeightedRoundRobinStrategy.Efficiency(weight, failureRate, latency), 1e-12);
    }

    [Fact]
    public void Select_NginxWeights5To1To1_SmoothInterleavedSequence()
    {
        // Latency 400 ms → factor 0.1 / 0.5 = 0.2, so efficiencies are 1 : 0.2 : 0.2 = 5 : 1 : 1.
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(400));
        candidates[2].Stats.RecordPing(TimeSpan.FromMilliseconds(400));
        string order = string.Empty;
        for (int i = 0; i < 14; i++)
        {
            order += _strategy.Select(candidates).Id;
        }

        Assert.Equal("aabacaaaabacaa", order);
    }

    [Fact]
    public void Select_TenThousandPicks_ProportionalToEfficiency()
    {
        // a: 1.0; b: latency 100 ms → 0.5; c: one failure → weight 0.5, failure rate 0.1 → 0.45.
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(100));
        candidates[2].Stats.RecordFailure(_time.GetTimestamp());
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates);

        double total = 1.0 + 0.5 + 0.45;
        Assert.InRange(counts[0], (int)(StrategyTestHelpers.Picks * 1.0 / total) - 2, (int)(StrategyTestHelpers.Picks * 1.0 / total) + 2);
        Assert.InRange(counts[1], (int)(StrategyTestHelpers.Picks * 0.5 / total) - 2, (int)(StrategyTestHelpers.Picks * 0.5 / total) + 2);
        Assert.InRange(counts[2], (int)(StrategyTestHelpers.Picks * 0.45 / total) - 2, (int)(StrategyTestHelpers.Picks * 0.45 / total) + 2);
    }

    [Fact]
    public void Select_FailedConnectionOverFakeTime_ShareRecoversGradually()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        for (int i = 0; i < 10; i++)
        {
            candidates[1].Stats.RecordFailure(_time.GetTimestamp());
        }

        // Weight at its floor 0.05 and failure rate 1 − 0.9¹⁰ ≈ 0.65: about 2 % of the picks.
        int failedShare = StrategyTestHelpers.Distribution(_strategy, candidates, 1_000)[1];
        Assert.InRange(failedShare, 10, 30);

        _time.Advance(TimeSpan.FromSeconds(9));
        int recoveringShare = StrategyTestHelpers.Distribution(_strategy, candidates, 1_000)[1];

        _time.Advance(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 50; i++)
        {
            candidates[1].Stats.RecordSuccess(TimeSpan.Zero, _time.GetTimestamp());
        }

        int recoveredShare = StrategyTestHelpers.Distribution(_strategy, candidates, 1_000)[1];
        Assert.True(failedShare < recoveringShare && recoveringShare < recoveredShare, $"{failedShare} {recoveringShare} {recoveredShare}");
        Assert.InRange(recoveredShare, 495, 505);
    }

    [Fact]
    public void Select_ConnectionJoinsAndLeaves_NewcomerGetsItsShare()
    {
        FakeConnection[] all = FakeConnection.Many(_time, 3);
        IHealthTracked[] firstTwo = [all[0], all[1]];
        StrategyTestHelpers.Distribution(_strategy, firstTwo, 101);

        IHealthTracked[] lastTwo = [all[1], all[2]];
        int[] counts = StrategyTestHelpers.Distribution(_strategy, lastTwo, 1_000);
        Assert.InRange(counts[0], 499, 501);
        Assert.InRange(counts[1], 499, 501);

        int[] allCounts = StrategyTestHelpers.Distribution(_strategy, all, 3_000);
        Assert.All(allCounts, count => Assert.InRange(count, 999, 1_001));
    }
}

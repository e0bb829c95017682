using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;

namespace Resilink.Core.Tests.Balancing;

public class HealthBasedStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.HealthBased);

    [Fact]
    public void Select_DifferentScores_PicksHighest()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[0].Stats.HealthScore = 0.5;
        candidates[1].Stats.HealthScore = 0.9;
        candidates[2].Stats.HealthScore = 0.2;
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates);
        Assert.Equal([0, StrategyTestHelpers.Picks, 0], counts);
    }

    [Fact]
    public void Select_EqualScores_PrefersFewerOutstanding()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[0].Stats.OnStreamOpened();
        candidates[2].Stats.OnStreamOpened();
        candidates[2].Stats.OnStreamOpened();
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates, 100);
        Assert.Equal([0, 100, 0], counts);
    }

    [Fact]
    public void Select_LowerScoreWithFewerOutstanding_StillLosesToHigherScore()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.HealthScore = 0.8;
        candidates[1].Stats.OnStreamOpened();
        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_AllTied_Rotates()
    {
        int[] counts = StrategyTestHelpers.Distribution(_strategy, FakeConnection.Many(_time, 4));
        Assert.Equal([2_500, 2_500, 2_500, 2_500], counts);
    }
}

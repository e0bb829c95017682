using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;

namespace Resilink.Core.Tests.Balancing;

public class LeastLoadedStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.LeastLoaded);

    [Fact]
    public void Select_DifferentLoads_PicksFewestActiveStreams()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 4);
        candidates[0].ActiveStreams = 5;
        candidates[1].ActiveStreams = 2;
        candidates[2].ActiveStreams = 1;
        candidates[3].ActiveStreams = 3;
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates);
        Assert.Equal([0, 0, StrategyTestHelpers.Picks, 0], counts);
    }

    [Fact]
    public void Select_TiedLowest_RotatesBetweenTheTiedOnly()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 4);
        candidates[0].ActiveStreams = 4;
        candidates[1].ActiveStreams = 1;
        candidates[2].ActiveStreams = 4;
        candidates[3].ActiveStreams = 1;
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates);
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[2]);
        Assert.Equal(StrategyTestHelpers.Picks / 2, counts[1]);
        Assert.Equal(StrategyTestHelpers.Picks / 2, counts[3]);
    }

    [Fact]
    public void Select_StreamsOpenedOnPick_FillsConnectionsEvenly()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        for (int i = 0; i < 9; i++)
        {
            ((FakeConnection)_strategy.Select(candidates)).ActiveStreams++;
        }

        Assert.All(candidates, c => Assert.Equal(3, c.ActiveStreams));
    }
}

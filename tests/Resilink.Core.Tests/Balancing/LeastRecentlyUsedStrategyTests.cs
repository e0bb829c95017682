using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Core.Tests.Balancing;

public class LeastRecentlyUsedStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.LeastRecentlyUsed);

    [Fact]
    public void Select_DifferentLastUse_PicksOldest()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        foreach (int i in new[] { 1, 0, 2 })
        {
            candidates[i].Stats.OnStreamOpened();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_NeverUsedAmongUsed_PicksNeverUsed()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        candidates[0].Stats.OnStreamOpened();
        candidates[2].Stats.OnStreamOpened();
        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_CallerMarksUse_CyclesThroughAll()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        string order = string.Empty;
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            IHealthTracked picked = _strategy.Select(candidates);
            picked.Stats.OnStreamOpened();
            order += picked.Id;
        }

        Assert.Equal(3, order[..3].Distinct().Count());
        Assert.Equal(order[..3], order[3..]);
    }

    [Fact]
    public void Select_AllTied_Rotates()
    {
        int[] counts = StrategyTestHelpers.Distribution(_strategy, FakeConnection.Many(_time, 4));
        Assert.Equal([2_500, 2_500, 2_500, 2_500], counts);
    }
}

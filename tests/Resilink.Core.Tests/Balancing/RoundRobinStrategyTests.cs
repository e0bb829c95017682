using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Core.Tests.Balancing;

public class RoundRobinStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.RoundRobin);

    [Fact]
    public void Select_ThreeCandidates_CyclesInListOrder()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        string order = string.Empty;
        for (int i = 0; i < 7; i++)
        {
            order += _strategy.Select(candidates).Id;
        }

        Assert.Equal("abcabca", order);
    }

    [Fact]
    public void Select_TenThousandPicks_ExactlyEvenDistribution()
    {
        int[] counts = StrategyTestHelpers.Distribution(_strategy, FakeConnection.Many(_time, 4));
        Assert.Equal([2_500, 2_500, 2_500, 2_500], counts);
    }

    [Fact]
    public void Select_ListShrinksAfterManyPicks_StaysInRange()
    {
        FakeConnection[] many = FakeConnection.Many(_time, 8);
        for (int i = 0; i < 7; i++)
        {
            _strategy.Select(many);
        }

        IHealthTracked[] two = [many[0], many[1]];
        int[] counts = StrategyTestHelpers.Distribution(_strategy, two, 100);
        Assert.Equal([50, 50], counts);
    }
}

using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;

namespace Resilink.Core.Tests.Balancing;

public class RandomStrategyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Select_SeededTenThousandPicks_UniformWithinBounds()
    {
        var strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.Random, random: new Random(1234));
        int[] counts = StrategyTestHelpers.Distribution(strategy, FakeConnection.Many(_time, 4));

        // Binomial(10000, 0.25): σ ≈ 43; ±5σ.
        Assert.All(counts, count => Assert.InRange(count, 2_285, 2_715));
    }

    [Fact]
    public void Select_SameSeed_SameSequence()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 5);
        var first = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.Random, random: new Random(9));
        var second = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.Random, random: new Random(9));
        for (int i = 0; i < 100; i++)
        {
            Assert.Same(first.Select(candidates), second.Select(candidates));
        }
    }

    [Fact]
    public void Select_DefaultRandom_ReturnsCandidates()
    {
        var strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.Random);
        int[] counts = StrategyTestHelpers.Distribution(strategy, FakeConnection.Many(_time, 3), 3_000);
        Assert.All(counts, count => Assert.True(count > 0));
    }
}

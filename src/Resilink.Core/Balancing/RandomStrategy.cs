using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>A uniformly random candidate.</summary>
internal sealed class RandomStrategy(RandomSource random) : ILoadBalancingStrategy
{
    public string Name => nameof(LoadBalancingStrategyKind.Random);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        return count == 1 ? candidates[0] : candidates[random.Next(count)];
    }
}

using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// Power of two choices with peak EWMA (Finagle, Linkerd): two distinct random candidates, the one with the lower
/// <see cref="ConnectionLoadStats.GetLoad(long)"/> = cost × (outstanding + 1) wins; never measured costs 0 when
/// idle (probed first) and a huge penalty when busy. On equal loads the first draw wins (it is random already).
/// </summary>
internal sealed class PowerOfTwoChoicesStrategy(TimeProvider? timeProvider, RandomSource random) : ILoadBalancingStrategy
{
    public string Name => nameof(LoadBalancingStrategyKind.PowerOfTwoChoices);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        if (count == 1)
        {
            return candidates[0];
        }

        int first = random.Next(count);
        int second = random.Next(count - 1);
        if (second >= first)
        {
            second++;
        }

        long now = Candidates.Now(timeProvider, candidates);
        IHealthTracked a = candidates[first];
        IHealthTracked b = candidates[second];
        return b.Stats.GetLoad(now) < a.Stats.GetLoad(now) ? b : a;
    }
}

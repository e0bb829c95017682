using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// The candidate with the highest <see cref="ConnectionLoadStats.HealthScore"/>; among equal scores the one with
/// fewer outstanding streams; remaining ties rotate. The YARP <c>HealthyOrPanic</c>-like filtering of unhealthy
/// connections comes later, in front of the strategy.
/// </summary>
internal sealed class HealthBasedStrategy : ILoadBalancingStrategy
{
    private int _start = -1;

    public string Name => nameof(LoadBalancingStrategyKind.HealthBased);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        int index = Candidates.NextStart(ref _start, count);
        IHealthTracked best = candidates[index];
        double bestScore = best.Stats.HealthScore;
        int bestOutstanding = best.Stats.Outstanding;
        for (int i = 1; i < count; i++)
        {
            if (++index == count)
            {
                index = 0;
            }

            IHealthTracked candidate = candidates[index];
            ConnectionLoadStats stats = candidate.Stats;
            double score = stats.HealthScore;
            if (score < bestScore)
            {
                continue;
            }

            int outstanding = stats.Outstanding;
            if (score > bestScore || outstanding < bestOutstanding)
            {
                best = candidate;
                bestScore = score;
                bestOutstanding = outstanding;
            }
        }

        return best;
    }
}

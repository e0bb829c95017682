using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// The candidate with the lowest peak-EWMA latency (decayed to now). A candidate never measured and with nothing
/// outstanding is probed first; one never measured but already busy ranks last (Finagle's penalty), so a single
/// probe is in flight at a time. Ties rotate.
/// </summary>
internal sealed class LatencyBasedStrategy(TimeProvider? timeProvider) : ILoadBalancingStrategy
{
    private int _start = -1;

    public string Name => nameof(LoadBalancingStrategyKind.LatencyBased);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        long now = Candidates.Now(timeProvider, candidates);
        int index = Candidates.NextStart(ref _start, count);
        IHealthTracked best = candidates[index];
        double bestCost = Cost(best.Stats, now);
        for (int i = 1; i < count; i++)
        {
            if (++index == count)
            {
                index = 0;
            }

            IHealthTracked candidate = candidates[index];
            double cost = Cost(candidate.Stats, now);
            if (cost < bestCost)
            {
                best = candidate;
                bestCost = cost;
            }
        }

        return best;
    }

    private static double Cost(ConnectionLoadStats stats, long now)
    {
        if (stats.HasLatencySample)
        {
            return stats.GetPeakEwmaLatencySeconds(now);
        }

        int outstanding = stats.Outstanding;
        return outstanding == 0 ? -1.0 : ConnectionLoadStats.UnmeasuredPenalty + outstanding;
    }
}

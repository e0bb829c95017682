using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// The candidate with the lowest peak-EWMA latency decayed to now (compared through
/// <c>ConnectionLoadStats.LatencyOrderKey</c>, which orders exactly like the decayed cost without an exp per
/// candidate or a clock read). A candidate never measured and with nothing outstanding is probed first; one never
/// measured but already busy ranks last (Finagle's penalty), so one probe is in flight at a time. Ties rotate.
/// </summary>
internal sealed class LatencyBasedStrategy : ILoadBalancingStrategy
{
    private int _start = -1;

    public string Name => nameof(LoadBalancingStrategyKind.LatencyBased);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        int index = Candidates.NextStart(ref _start, count);
        IHealthTracked best = candidates[index];
        double bestCost = Cost(best.Stats);
        for (int i = 1; i < count; i++)
        {
            if (++index == count)
            {
                index = 0;
            }

            IHealthTracked candidate = candidates[index];
            double cost = Cost(candidate.Stats);
            if (cost < bestCost)
            {
                best = candidate;
                bestCost = cost;
            }
        }

        return best;
    }

    private static double Cost(ConnectionLoadStats stats)
    {
        if (stats.HasLatencySample)
        {
            return stats.LatencyOrderKey;
        }

        // Never measured: before every measured key when idle, after all of them when busy.
        return stats.Outstanding == 0 ? double.MinValue : double.MaxValue;
    }
}

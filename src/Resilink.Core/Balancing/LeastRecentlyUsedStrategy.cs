using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// The candidate with the oldest <see cref="ConnectionLoadStats.LastUsedTimestamp"/> (never used = 0 = oldest).
/// Ties rotate (scan from a rotating offset, strictly older replaces). Selection does not mark use; the caller's
/// <see cref="ConnectionLoadStats.OnStreamOpened"/> does.
/// </summary>
internal sealed class LeastRecentlyUsedStrategy : ILoadBalancingStrategy
{
    private int _start = -1;

    public string Name => nameof(LoadBalancingStrategyKind.LeastRecentlyUsed);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        int index = Candidates.NextStart(ref _start, count);
        IHealthTracked best = candidates[index];
        long bestUsed = best.Stats.LastUsedTimestamp;
        for (int i = 1; i < count; i++)
        {
            if (++index == count)
            {
                index = 0;
            }

            IHealthTracked candidate = candidates[index];
            long used = candidate.Stats.LastUsedTimestamp;
            if (used < bestUsed)
            {
                best = candidate;
                bestUsed = used;
            }
        }

        return best;
    }
}

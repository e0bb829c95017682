using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// The candidate with the fewest <see cref="IHealthTracked.ActiveStreams"/>. The scan starts at a rotating
/// offset and only a strictly lower count replaces the best, so ties go round robin instead of always to the
/// first connection.
/// </summary>
internal sealed class LeastLoadedStrategy : ILoadBalancingStrategy
{
    private int _start = -1;

    public string Name => nameof(LoadBalancingStrategyKind.LeastLoaded);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        int index = Candidates.NextStart(ref _start, count);
        IHealthTracked best = candidates[index];
        int bestStreams = best.ActiveStreams;
        for (int i = 1; i < count && bestStreams > 0; i++)
        {
            if (++index == count)
            {
                index = 0;
            }

            IHealthTracked candidate = candidates[index];
            int streams = candidate.ActiveStreams;
            if (streams < bestStreams)
            {
                best = candidate;
                bestStreams = streams;
            }
        }

        return best;
    }
}

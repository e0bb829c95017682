using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Core.Tests.Balancing;

internal static class StrategyTestHelpers
{
    public const int Picks = 10_000;

    /// <summary>Picks <paramref name="picks"/> times and counts the picks per candidate index.</summary>
    public static int[] Distribution(ILoadBalancingStrategy strategy, IReadOnlyList<IHealthTracked> candidates, int picks = Picks)
    {
        var counts = new int[candidates.Count];
        for (int i = 0; i < picks; i++)
        {
            IHealthTracked picked = strategy.Select(candidates);
            int index = IndexOf(candidates, picked);
            Assert.True(index >= 0, $"{strategy.Name} returned {picked.Id}, which is not a candidate.");
            counts[index]++;
        }

        return counts;
    }

    public static int IndexOf(IReadOnlyList<IHealthTracked> candidates, IHealthTracked item)
    {
        for (int i = 0; i < candidates.Count; i++)
        {
            if (ReferenceEquals(candidates[i], item))
            {
                return i;
            }
        }

        return -1;
    }
}

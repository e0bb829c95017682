using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// Each candidate in turn, by an <see cref="Interlocked"/> counter taken modulo the current count, so a list
/// that grows or shrinks between calls is always indexed in range.
/// </summary>
internal sealed class RoundRobinStrategy : ILoadBalancingStrategy
{
    private int _counter = -1;

    public string Name => nameof(LoadBalancingStrategyKind.RoundRobin);

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        return candidates[Candidates.NextStart(ref _counter, count)];
    }
}

using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>
/// Smooth weighted round robin (nginx): every pick adds each candidate's effective weight to its current weight,
/// takes the candidate with the largest current weight and subtracts the total from it. Over a stable set each
/// candidate is picked in proportion to its weight, interleaved rather than in bursts.
/// </summary>
/// <remarks>
/// <para>
/// The effective weight is the efficiency score (see <see cref="Efficiency"/>), recomputed on every pick, so
/// weights follow failures, latency and recovery continuously.
/// </para>
/// <para>
/// The current weight lives with the connection (<c>ConnectionLoadStats.SmoothCurrentWeight</c>, like nginx's
/// <c>peer-&gt;current_weight</c>), so connections can join or leave the candidate list between calls without
/// any bookkeeping: a newcomer starts at 0, a leaver takes its state with it. Picks are serialized on a lock of
/// this instance; a connection should be balanced by one instance at a time (one per peer or pool is natural).
/// </para>
/// </remarks>
internal sealed class WeightedRoundRobinStrategy(TimeProvider? timeProvider) : ILoadBalancingStrategy
{
    /// <summary>The latency at which the latency factor halves the score: 100 ms.</summary>
    internal const double ReferenceLatencySeconds = 0.1;

    /// <summary>The floor of the score, so every connection keeps an occasional pick and can show it recovered.</summary>
    internal const double MinimumEfficiency = 0.001;

    private readonly Lock _gate = new();

    public string Name => nameof(LoadBalancingStrategyKind.WeightedRoundRobin);

    /// <summary>
    /// efficiency = Weight × (1 − FailureRate) × R / (R + latency), floored at <see cref="MinimumEfficiency"/>,
    /// where latency is the peak-EWMA latency in seconds as of its last sample (0 when never measured; not decayed
    /// on read, to save an exp per candidate — every connection keeps being picked, so it keeps being measured) and
    /// R = <see cref="ReferenceLatencySeconds"/>.
    /// </summary>
    internal static double Efficiency(double weight, double failureRate, double latencySeconds)
    {
        double score = weight * (1.0 - failureRate) * (ReferenceLatencySeconds / (ReferenceLatencySeconds + latencySeconds));
        return score > MinimumEfficiency ? score : MinimumEfficiency;
    }

    public IHealthTracked Select(IReadOnlyList<IHealthTracked> candidates)
    {
        int count = Candidates.CountOrThrow(candidates, Name);
        if (count == 1)
        {
            return candidates[0];
        }

        long now = Candidates.Now(timeProvider, candidates);
        lock (_gate)
        {
            IHealthTracked best = candidates[0];
            ConnectionLoadStats bestStats = best.Stats;
            double bestWeight = double.NegativeInfinity;
            double total = 0;
            for (int i = 0; i < count; i++)
            {
                IHealthTracked candidate = candidates[i];
                ConnectionLoadStats stats = candidate.Stats;
                stats.ReadEfficiencyInputs(now, out double weight, out double failureRate, out double latency);
                double effective = Efficiency(weight, failureRate, latency);
                double current = stats.SmoothCurrentWeight + effective;
                stats.SmoothCurrentWeight = current;
                total += effective;
                if (current > bestWeight)
                {
                    best = candidate;
                    bestStats = stats;
                    bestWeight = current;
                }
            }

            bestStats.SmoothCurrentWeight -= total;
            return best;
        }
    }
}

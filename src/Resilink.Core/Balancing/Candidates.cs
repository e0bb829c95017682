using Resilink.Health;

namespace Resilink.Balancing;

/// <summary>Shared guards and helpers of the strategies.</summary>
internal static class Candidates
{
    /// <summary>Returns the candidate count, throwing <see cref="NoCandidatesException"/> when it is zero.</summary>
    public static int CountOrThrow(IReadOnlyList<IHealthTracked> candidates, string strategyName)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int count = candidates.Count;
        if (count == 0)
        {
            throw NoCandidatesException.For(strategyName);
        }

        return count;
    }

    /// <summary>
    /// One timestamp for the whole selection: from the strategy's clock if it has one, otherwise from the clock of
    /// the first candidate's stats (all candidates of one pool share a clock).
    /// </summary>
    public static long Now(TimeProvider? timeProvider, IReadOnlyList<IHealthTracked> candidates) =>
        timeProvider?.GetTimestamp() ?? candidates[0].Stats.GetTimestamp();

    /// <summary>A rotating start index in [0, count), so that ties go round robin.</summary>
    public static int NextStart(ref int counter, int count) =>
        (int)((uint)Interlocked.Increment(ref counter) % (uint)count);
}

namespace Resilink.EndToEnd.Tests.Cli.Demo;

/// <summary>
/// Exact nearest-rank percentiles of latency samples (no interpolation: every reported value was really measured): the
/// reference the demo's <see cref="Resilink.Cli.Demo.LatencyHistogram"/> is checked against.
/// </summary>
internal static class LatencyPercentiles
{
    /// <summary>
    /// The <paramref name="percentile"/>-th percentile of <paramref name="sorted"/> by the nearest-rank method: the
    /// smallest sample with at least that share of samples at or below it. Null for no samples.
    /// </summary>
    /// <param name="sorted">Samples in ascending order.</param>
    /// <param name="percentile">0 (exclusive) to 100.</param>
    public static double? Of(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is above 0 and at most 100.");
        }
        if (sorted.Count == 0)
        {
            return null;
        }
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

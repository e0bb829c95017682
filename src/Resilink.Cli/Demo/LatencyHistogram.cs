namespace Resilink.Cli.Demo;

/// <summary>
/// Latency samples in fixed memory, for percentiles within 1 % of the exact ones: log-spaced buckets each 1 % wider
/// than the one below, from <see cref="MinMs"/> to <see cref="MaxMs"/> (about 1,800 buckets, ~30 KB), each keeping its
/// count and the largest sample it got. A percentile is the largest sample of the bucket holding the nearest-rank
/// sample, so it was really measured, is never below the exact value and at most 1 % above it (exact when the samples
/// are more than 1 % apart). Chosen over keeping every sample (a day-long run at 200 requests/s is ~17 M samples) or a
/// reservoir (whose tail, the p99, is sampled loosely). Not thread-safe: <see cref="RequestStats"/> locks around it.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Samples below this share the first bucket.</summary>
    public const double MinMs = 0.01;

    /// <summary>Samples above this (10 minutes) share the last bucket.</summary>
    public const double MaxMs = 600_000;

    /// <summary>Each bucket's upper bound is this factor times its lower bound.</summary>
    private const double Growth = 1.01;

    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(MaxMs / MinMs) / LogGrowth) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private readonly double[] _largest = new double[BucketCount];

    /// <summary>Samples added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one sample, in milliseconds (negative or NaN counts as 0).</summary>
    public void Add(double ms)
    {
        ms = double.IsNaN(ms) || ms < 0 ? 0 : ms;
        var bucket = ms <= MinMs ? 0 : Math.Min((int)(Math.Log(ms / MinMs) / LogGrowth), BucketCount - 1);
        _counts[bucket]++;
        _largest[bucket] = Math.Max(_largest[bucket], ms);
        Count++;
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile by the nearest rank (the smallest sample with at least that
    /// share of samples at or below it), to within 1 % above; null for no samples.
    /// </summary>
    /// <param name="percentile">0 (exclusive) to 100.</param>
    public double? Percentile(double percentile)
    {
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is above 0 and at most 100.");
        }
        if (Count == 0)
        {
            return null;
        }
        var rank = Math.Clamp((long)Math.Ceiling(percentile / 100 * Count), 1, Count);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return _largest[i];
            }
        }
        return _largest[^1]; // unreachable: the counts add up to Count
    }
}

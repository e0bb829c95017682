namespace Resilink.Health;

/// <summary>
/// Ping round-trip times of one connection: the latest, an EWMA (α = <see cref="HealthConstants.RttEwmaAlpha"/>)
/// and nearest-rank percentiles over the last samples.
/// </summary>
/// <remarks>Not thread-safe: the owner serializes calls.</remarks>
public sealed class RttTracker
{
    private readonly long[] _window;
    private readonly long[] _scratch; // reused by GetStatistics so that sorting does not allocate
    private int _next;
    private int _filled;
    private long _sampleCount;
    private long _lastTicks;
    private double _ewmaTicks;

    /// <summary>Initializes a new instance of the <see cref="RttTracker"/> class.</summary>
    /// <param name="windowSize">Samples kept for the percentiles; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowSize"/> is less than 1.</exception>
    public RttTracker(int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        _window = new long[windowSize];
        _scratch = new long[windowSize];
    }

    /// <summary>Gets a value indicating whether at least one sample was recorded.</summary>
    public bool HasSamples => _sampleCount > 0;

    /// <summary>Gets the RTT EWMA; <see cref="TimeSpan.Zero"/> before the first sample. Cheaper than <see cref="GetStatistics"/>.</summary>
    public TimeSpan Average => TimeSpan.FromTicks((long)Math.Round(_ewmaTicks));

    /// <summary>Records one answered ping.</summary>
    /// <param name="rtt">The round-trip time; negative values count as zero.</param>
    public void Record(TimeSpan rtt)
    {
        long ticks = Math.Max(0, rtt.Ticks);
        _ewmaTicks = _sampleCount == 0 ? ticks : _ewmaTicks + (HealthConstants.RttEwmaAlpha * (ticks - _ewmaTicks));
        _lastTicks = ticks;
        _sampleCount++;
        _window[_next] = ticks;
        _next = (_next + 1) % _window.Length;
        _filled = Math.Min(_filled + 1, _window.Length);
    }

    /// <summary>Gets the statistics over what was recorded; all zero before the first sample.</summary>
    /// <returns>The statistics.</returns>
    public RttStatistics GetStatistics()
    {
        if (_sampleCount == 0)
        {
            return default;
        }

        Array.Copy(_window, _scratch, _filled);
        Span<long> sorted = _scratch.AsSpan(0, _filled);
        sorted.Sort();
        return new RttStatistics(
            TimeSpan.FromTicks(_lastTicks),
            Average,
            TimeSpan.FromTicks(NearestRank(sorted, 50)),
            TimeSpan.FromTicks(NearestRank(sorted, 95)),
            TimeSpan.FromTicks(NearestRank(sorted, 99)),
            _sampleCount);
    }

    // Nearest rank: the smallest sample with at least percent% of the samples at or below it, rank = ceil(p·n/100).
    private static long NearestRank(ReadOnlySpan<long> sorted, int percent)
    {
        int rank = (int)(((percent * (long)sorted.Length) + 99) / 100);
        return sorted[Math.Max(rank, 1) - 1];
    }
}

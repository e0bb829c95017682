namespace Resilink.Health;

/// <summary>
/// Bytes in and out of one connection in one-second buckets over a rolling window: totals, the rate of the latest
/// second, the average rate and the peak one-second rate.
/// </summary>
/// <remarks>
/// <para>
/// Seconds are counted from the tracker's creation on <see cref="TimeProvider.GetTimestamp"/>. The window is the
/// current (partial) second and the whole seconds before it, <see cref="Window"/> in all; older buckets expire.
/// </para>
/// <para>
/// The current rate is the latest <em>completed</em> second's bytes, so that a second that has only just begun does
/// not read as a drop; until the first second completes it is the bytes of the current second.
/// </para>
/// <para>Not thread-safe: the owner serializes calls.</para>
/// </remarks>
public sealed class BandwidthTracker
{
    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;
    private readonly int _windowSeconds;
    private readonly Bucket[] _ring;

    /// <summary>Initializes a new instance of the <see cref="BandwidthTracker"/> class.</summary>
    /// <param name="window">The window length; at least 1 s, rounded up to whole seconds.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is shorter than 1 s.</exception>
    public BandwidthTracker(TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _startTimestamp = timeProvider.GetTimestamp();
        _windowSeconds = (int)Math.Min(int.MaxValue - 1, (window.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
        Window = window;

        // At least two buckets: with a 1 s window the latest completed second must survive for the current rate.
        _ring = new Bucket[Math.Max(_windowSeconds, 2)];
        for (int i = 0; i < _ring.Length; i++)
        {
            _ring[i].Second = -1;
        }
    }

    /// <summary>Gets the window length given to the constructor.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets the bytes received in total.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Gets the bytes sent in total.</summary>
    public long BytesOut { get; private set; }

    /// <summary>Records bytes moved now.</summary>
    /// <param name="bytesIn">Bytes received; not negative.</param>
    /// <param name="bytesOut">Bytes sent; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public void Add(long bytesIn, long bytesOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesIn);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesOut);
        ref Bucket bucket = ref BucketFor(CurrentSecond());
        bucket.In += bytesIn;
        bucket.Out += bytesOut;
        BytesIn += bytesIn;
        BytesOut += bytesOut;
    }

    /// <summary>Gets the totals and the rates (bytes per second) at the current time.</summary>
    /// <returns>The statistics.</returns>
    public BandwidthStatistics GetStatistics()
    {
        TimeSpan elapsed = _timeProvider.GetElapsedTime(_startTimestamp);
        long now = elapsed.Ticks / TimeSpan.TicksPerSecond;
        long oldest = now - _windowSeconds + 1;
        long sumIn = 0, sumOut = 0, peakIn = 0, peakOut = 0;
        foreach (Bucket bucket in _ring)
        {
            if (bucket.Second >= oldest && bucket.Second <= now)
            {
                sumIn += bucket.In;
                sumOut += bucket.Out;
                peakIn = Math.Max(peakIn, bucket.In);
                peakOut = Math.Max(peakOut, bucket.Out);
            }
        }

        Bucket current = Find(now == 0 ? 0 : now - 1);
        double seconds = Math.Max(1.0, Math.Min(Window.TotalSeconds, elapsed.TotalSeconds));
        return new BandwidthStatistics(
            BytesIn, BytesOut, current.In, current.Out, sumIn / seconds, sumOut / seconds, peakIn, peakOut, Window);
    }

    private long CurrentSecond() => _timeProvider.GetElapsedTime(_startTimestamp).Ticks / TimeSpan.TicksPerSecond;

    // Reuses the slot of a second that left the ring.
    private ref Bucket BucketFor(long second)
    {
        ref Bucket bucket = ref _ring[second % _ring.Length];
        if (bucket.Second != second)
        {
            bucket = new Bucket { Second = second };
        }

        return ref bucket;
    }

    private Bucket Find(long second)
    {
        Bucket bucket = _ring[second % _ring.Length];
        return bucket.Second == second ? bucket : default;
    }

    private struct Bucket
    {
        public long Second;
        public long In;
        public long Out;
    }
}

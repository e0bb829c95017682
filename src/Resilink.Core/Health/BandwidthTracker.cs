namespace Resilink.Health;

/// <summary>
/// Bytes in and out of one connection in one-second buckets over a rolling window: totals, the rate of the latest
/// observed second, the average rate and the peak one-second rate.
/// </summary>
/// <remarks>
/// <para>
/// Byte counts arrive as the amounts moved since the previous <see cref="Observe"/>, at whatever times the owner
/// looks (a ping round, a snapshot). Each amount is taken to have flowed evenly since the previous observation (the
/// first one: since the connection opened) and is spread over the seconds it spans, so the rates do not depend on how
/// often anyone looks. What flowed before the window is kept only in the totals. A burst shorter than the time between
/// two observations is spread too: the peak cannot be finer than the observation cadence.
/// </para>
/// <para>
/// Seconds are counted from the connection's opening on <see cref="TimeProvider.GetTimestamp"/>. The window is the
/// current (partial) second and the whole seconds before it, <see cref="Window"/> in all; older buckets expire.
/// </para>
/// <para>Not thread-safe: the owner serializes calls. Allocation-free after construction.</para>
/// </remarks>
public sealed class BandwidthTracker
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;
    private readonly long _ageAtStartTicks;
    private readonly int _windowSeconds;
    private readonly Bucket[] _ring;

    // Ticks since the connection opened up to which bytes have been observed.
    private long _observedUntil;

    /// <summary>Initializes a new instance of the <see cref="BandwidthTracker"/> class.</summary>
    /// <param name="window">The window length; at least 1 s, rounded up to whole seconds.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="openFor">
    /// How long the connection has already been open (default: it opens now); the first observation is spread over
    /// this time, so a lifetime's bytes are not read as one second's.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is shorter than 1 s.</exception>
    public BandwidthTracker(TimeSpan window, TimeProvider timeProvider, TimeSpan openFor = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _startTimestamp = timeProvider.GetTimestamp();
        _ageAtStartTicks = Math.Max(0, openFor.Ticks);
        _windowSeconds = (int)Math.Min(int.MaxValue - 1, (window.Ticks + TicksPerSecond - 1) / TicksPerSecond);
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

    /// <summary>
    /// Records the bytes moved since the previous call (the first call: since the connection opened), as if they
    /// flowed evenly over that time.
    /// </summary>
    /// <param name="bytesIn">Bytes received; not negative.</param>
    /// <param name="bytesOut">Bytes sent; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public void Observe(long bytesIn, long bytesOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesIn);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesOut);
        long now = Now();
        Spread(Math.Min(_observedUntil, now), now, bytesIn, bytesOut);
        _observedUntil = Math.Max(_observedUntil, now);
        BytesIn += bytesIn;
        BytesOut += bytesOut;
    }

    /// <summary>
    /// Gets the totals and the rates (bytes per second) at the current time, as defined on
    /// <see cref="BandwidthStatistics"/>.
    /// </summary>
    /// <returns>The statistics.</returns>
    public BandwidthStatistics GetStatistics()
    {
        long now = Now();
        long nowSecond = now / TicksPerSecond;
        long oldestSecond = Math.Max(0, nowSecond - _windowSeconds + 1);
        long observed = Math.Min(_observedUntil, now);
        long lastCompleteSecond = (observed / TicksPerSecond) - 1;

        // A 1 s window holds only the current partial second; the one before still counts for the current rate.
        long oldestWholeSecond = Math.Max(0, Math.Min(oldestSecond, nowSecond - 1));
        double sumIn = 0, sumOut = 0, peakIn = 0, peakOut = 0;
        foreach (Bucket bucket in _ring)
        {
            if (bucket.Second >= oldestSecond && bucket.Second <= nowSecond)
            {
                sumIn += bucket.In;
                sumOut += bucket.Out;
            }

            if (bucket.Second >= oldestWholeSecond && bucket.Second <= lastCompleteSecond)
            {
                peakIn = Math.Max(peakIn, bucket.In);
                peakOut = Math.Max(peakOut, bucket.Out);
            }
        }

        // Under a second of observation reads as one second, so that the first moments are not a burst.
        double coveredSeconds = Math.Max(1.0, (double)(observed - (oldestSecond * TicksPerSecond)) / TicksPerSecond);
        double averageIn = sumIn / coveredSeconds, averageOut = sumOut / coveredSeconds;
        if (lastCompleteSecond < oldestWholeSecond)
        {
            // No whole second observed in the window yet: what was observed is all there is to go on.
            return new BandwidthStatistics(
                BytesIn, BytesOut, averageIn, averageOut, averageIn, averageOut, averageIn, averageOut, Window);
        }

        Bucket current = Find(lastCompleteSecond);
        return new BandwidthStatistics(
            BytesIn, BytesOut, current.In, current.Out, averageIn, averageOut, peakIn, peakOut, Window);
    }

    // Ticks since the connection opened.
    private long Now() => _ageAtStartTicks + _timeProvider.GetElapsedTime(_startTimestamp).Ticks;

    // Shares the bytes of [from, to] among the seconds it spans, in proportion to the overlap; only seconds still in
    // the ring are written, so the loop runs at most the ring's length.
    private void Spread(long from, long to, long bytesIn, long bytesOut)
    {
        if (from == to)
        {
            ref Bucket instant = ref BucketFor(to / TicksPerSecond);
            instant.In += bytesIn;
            instant.Out += bytesOut;
            return;
        }

        double span = to - from;
        long oldestKept = Math.Max(0, (to / TicksPerSecond) - _ring.Length + 1) * TicksPerSecond;
        long start = Math.Max(from, oldestKept);
        for (long second = start / TicksPerSecond; second * TicksPerSecond < to; second++)
        {
            long overlap = Math.Min(to, (second + 1) * TicksPerSecond) - Math.Max(start, second * TicksPerSecond);
            // Multiply before dividing: whole rates come out whole (60,000 B over 60 s is exactly 1,000 a second).
            ref Bucket bucket = ref BucketFor(second);
            bucket.In += (double)bytesIn * overlap / span;
            bucket.Out += (double)bytesOut * overlap / span;
        }
    }

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
        public double In;
        public double Out;
    }
}

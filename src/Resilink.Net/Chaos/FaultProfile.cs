namespace Resilink.Net.Chaos;

/// <summary>
/// The faults a <see cref="FaultInjectingProxy"/> applies to one proxied connection. A default instance injects
/// nothing (a transparent proxy). Every value is validated when it is set.
/// </summary>
/// <remarks>
/// A connection keeps its own copy: assign a profile to <see cref="ProxiedConnection.Faults"/> (or pass it to
/// <see cref="FaultInjectingProxy.SetDefaults"/>) to change faults; mutating an instance afterwards has no effect on
/// the connection. Use <c>with</c> expressions to derive variants. Faults are applied per chunk, where a chunk is
/// whatever one socket read returned (at most 16 KiB).
/// </remarks>
public sealed record FaultProfile
{
    /// <summary>
    /// One-way delay added to every chunk, in each direction. Default <see cref="TimeSpan.Zero"/>. Data is delayed,
    /// not the pipe paused: each chunk is timestamped when read and written once its due time has passed, so a
    /// steady stream arrives steadily, just later. Order is always preserved, and a FIN is delayed like data.
    /// </summary>
    public TimeSpan Latency
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    }

    /// <summary>
    /// Uniform random variation of <see cref="Latency"/> (each chunk gets <c>Latency ± Jitter</c>, never below zero).
    /// Default <see cref="TimeSpan.Zero"/>. Jitter never reorders data: a chunk whose due time falls before the
    /// previous chunk's is sent right after it.
    /// </summary>
    public TimeSpan Jitter
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    }

    /// <summary>
    /// Rate limit in bytes per second, per direction, enforced by a token bucket. Default <see langword="null"/>
    /// (unlimited). Shaping happens after <see cref="Latency"/>, so latency is the minimum delay.
    /// </summary>
    public long? BandwidthBytesPerSecond
    {
        get;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(v);
            }
            field = value;
        }
    }

    /// <summary>
    /// Token-bucket capacity (largest burst) for <see cref="BandwidthBytesPerSecond"/>. Default
    /// <see langword="null"/>: a tenth of a second's worth of bytes, at least one. The bucket starts full.
    /// </summary>
    public int? BandwidthBurstBytes
    {
        get;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(v);
            }
            field = value;
        }
    }

    /// <summary>
    /// Probability (0..1) that a chunk is silently discarded. Default 0. TCP is a byte stream, so a dropped chunk
    /// is a hole in the stream, not a lost packet that gets retransmitted: the receiver sees corrupted framing.
    /// Use it to test how a protocol reacts to garbage, or with 1.0 as a one-way black hole; use
    /// <see cref="BlackHole"/> for a silently dead connection.
    /// </summary>
    public double DropRate
    {
        get;
        set
        {
            if (double.IsNaN(value) || value is < 0 or > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "DropRate must be between 0 and 1.");
            }
            field = value;
        }
    }

    /// <summary>
    /// Stops forwarding in both directions while keeping both sockets open: the classic silently dead connection.
    /// Default <see langword="false"/>. Bytes read meanwhile are held (up to the proxy's per-direction buffer, then
    /// TCP backpressure stalls the sender) and delivered, in order, once the black hole is cleared — as TCP
    /// retransmission would after a healed partition. FIN is held too.
    /// </summary>
    public bool BlackHole { get; set; }

    /// <summary>
    /// Once this many bytes have been forwarded on the connection (both directions together), both sides are
    /// closed with RST. The byte that would exceed the budget is not sent. Default <see langword="null"/> (never).
    /// </summary>
    public long? ResetAfterBytes
    {
        get;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(v);
            }
            field = value;
        }
    }

    /// <summary>
    /// Both sides are closed with RST once the connection has been open this long (measured from accept on the
    /// proxy's <see cref="TimeProvider"/>; if the deadline already passed when the profile is applied, the reset
    /// is immediate). Default <see langword="null"/> (never).
    /// </summary>
    public TimeSpan? ResetAfter
    {
        get;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(v, TimeSpan.Zero);
            }
            field = value;
        }
    }

    internal int EffectiveBurst(long rate) =>
        BandwidthBurstBytes ?? (int)Math.Clamp(rate / 10, 1, int.MaxValue);
}

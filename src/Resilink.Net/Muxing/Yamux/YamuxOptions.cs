namespace Resilink.Net.Muxing.Yamux;

/// <summary>Tunables for a <see cref="YamuxSession"/>. Call <see cref="Validate"/> (the session does) before use.</summary>
public sealed class YamuxOptions
{
    /// <summary>The initial per-stream window mandated by the Yamux spec (256 KiB).</summary>
    public const int SpecInitialWindowSize = 256 * 1024;

    /// <summary>
    /// Initial receive window per stream. Default 256 KiB, which is also the spec minimum: peers assume 256 KiB,
    /// anything above is advertised with the SYN/ACK window update.
    /// </summary>
    public int InitialWindowSize { get; set; } = SpecInitialWindowSize;

    /// <summary>
    /// Upper bound for a stream's receive window; the window grows on demand (RTT based auto-tuning) up to this.
    /// Default 16 MiB. Must be at least <see cref="InitialWindowSize"/>.
    /// </summary>
    public int MaxWindowSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How far all of a session's streams together may grow their receive windows beyond
    /// <see cref="InitialWindowSize"/>: the memory a peer can make us buffer beyond the spec's baseline, whatever
    /// number of streams it opens. A stream that cannot grow keeps working at its current window. Default 64 MiB
    /// (four streams at the full 16 MiB).
    /// </summary>
    public long MaxSessionWindowGrowth { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest Data payload we send in one frame. Default 65507: one Noise transport frame (65519 bytes of
    /// plaintext) minus the 12-byte Yamux header, so every Yamux frame fits in a single Noise frame. Range 1..16 MiB.
    /// </summary>
    public int MaxFrameSize { get; set; } = 65507;

    /// <summary>
    /// Maximum number of open streams in each direction, counted separately so that a peer holding many inbound streams
    /// can never stop us opening our own. Inbound streams above this are reset; <see cref="YamuxSession.OpenStreamAsync"/>
    /// above this throws <see cref="YamuxException"/>. Default 1024.
    /// </summary>
    public int MaxConcurrentStreams { get; set; } = 1024;

    /// <summary>
    /// Maximum number of inbound streams accepted by the session but not yet taken by <see cref="YamuxSession.AcceptStreamAsync"/>.
    /// Further inbound streams are reset. Default 256.
    /// </summary>
    public int MaxPendingInboundStreams { get; set; } = 256;

    /// <summary>Interval of optional keep-alive session pings; <see langword="null"/> (the default) disables keep-alive.</summary>
    public TimeSpan? KeepAliveInterval { get; set; }

    /// <summary>
    /// How long a ping (keep-alive or <see cref="YamuxSession.PingAsync"/>) may wait for its answer. Default 10 seconds.
    /// A keep-alive ping that times out aborts the session.
    /// </summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (InitialWindowSize < SpecInitialWindowSize)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialWindowSize), InitialWindowSize, $"{nameof(InitialWindowSize)} must be at least {SpecInitialWindowSize} (the Yamux spec minimum).");
        }

        if (MaxWindowSize < InitialWindowSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWindowSize), MaxWindowSize, $"{nameof(MaxWindowSize)} must be at least {nameof(InitialWindowSize)} ({InitialWindowSize}).");
        }

        if (MaxFrameSize < 1 || MaxFrameSize > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, $"{nameof(MaxFrameSize)} must be between 1 and 16 MiB.");
        }

        if (MaxConcurrentStreams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentStreams), MaxConcurrentStreams, $"{nameof(MaxConcurrentStreams)} must be positive.");
        }

        if (MaxPendingInboundStreams < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingInboundStreams), MaxPendingInboundStreams, $"{nameof(MaxPendingInboundStreams)} must be positive.");
        }

        if (KeepAliveInterval is { } keepAlive && keepAlive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), keepAlive, $"{nameof(KeepAliveInterval)} must be positive or null.");
        }

        if (MaxSessionWindowGrowth < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSessionWindowGrowth), MaxSessionWindowGrowth, $"{nameof(MaxSessionWindowGrowth)} must not be negative.");
        }

        if (PingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PingTimeout), PingTimeout, $"{nameof(PingTimeout)} must be positive.");
        }
    }

    internal YamuxOptions Clone() => (YamuxOptions)MemberwiseClone();
}

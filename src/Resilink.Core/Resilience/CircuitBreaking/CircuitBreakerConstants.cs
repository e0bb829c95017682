namespace Resilink.Resilience;

/// <summary>
/// Defaults of <see cref="CircuitBreakerOptions"/> and the bounds Polly puts on them. Our defaults are tuned for one
/// breaker per peer guarding dials, a low-volume call; Polly's (0.1, 100, 30 s, 5 s) are tuned for a busy call path.
/// </summary>
public static class CircuitBreakerConstants
{
    /// <summary>
    /// Default <see cref="CircuitBreakerOptions.FailureRatio"/>: 0.5. Polly's 0.1 suits hundreds of calls; over a handful
    /// of dials it would break on a single failure. 0.5 breaks only when most recent dials to the peer failed.
    /// </summary>
    public const double DefaultFailureRatio = 0.5;

    /// <summary>
    /// Default <see cref="CircuitBreakerOptions.MinimumThroughput"/>: 3. A peer is dialed a few times a minute at most,
    /// so Polly's 100 would never be reached; 3 is the fewest dials that show a pattern rather than a blip (and each
    /// dial already includes its retries).
    /// </summary>
    public const int DefaultMinimumThroughput = 3;

    /// <summary>Smallest accepted <see cref="CircuitBreakerOptions.MinimumThroughput"/>: 2 (Polly's bound).</summary>
    public const int MinimumValidThroughput = 2;

    /// <summary>
    /// Default <see cref="CircuitBreakerOptions.MaxBreakers"/>: 1024 keys. A breaker costs a few hundred bytes to a few
    /// kilobytes; evicting an idle closed one forgets at most <c>MinimumThroughput − 1</c> recent failures.
    /// </summary>
    public const int DefaultMaxBreakers = 1024;

    /// <summary>Name of the Polly circuit-breaker strategy in each key's pipeline.</summary>
    public const string StrategyName = "Resilink.CircuitBreaker";

    /// <summary>Default <see cref="CircuitBreakerOptions.SamplingDuration"/>: 30 s, as Polly: long enough to see several dials.</summary>
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Default <see cref="CircuitBreakerOptions.BreakDuration"/>: 5 s, as Polly: a burst of calls to a dead peer fails
    /// at once instead of each waiting out its dial, and a restarted peer is tried again within seconds.
    /// </summary>
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromSeconds(5);

    /// <summary>Smallest accepted <see cref="CircuitBreakerOptions.SamplingDuration"/> and <see cref="CircuitBreakerOptions.BreakDuration"/>: 500 ms (Polly's bound).</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest accepted <see cref="CircuitBreakerOptions.SamplingDuration"/> and <see cref="CircuitBreakerOptions.BreakDuration"/>: 1 day (Polly's bound).</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(1);
}

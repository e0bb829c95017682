namespace Resilink.Resilience;

/// <summary>Defaults and bounds of <see cref="ReconnectOptions"/> and names used by the reconnection pipeline.</summary>
public static class ReconnectConstants
{
    /// <summary>Default <see cref="ReconnectOptions.MaxAttempts"/>: 10 connection attempts in all.</summary>
    public const int DefaultMaxAttempts = 10;

    /// <summary>Default <see cref="BackoffOptions.BackoffMultiplier"/>: 2.0 (each delay doubles).</summary>
    public const double DefaultBackoffMultiplier = 2.0;

    /// <summary>Default <see cref="BackoffOptions.JitterFactor"/>: 0.1 (± 10 % of the delay).</summary>
    public const double DefaultJitterFactor = 0.1;

    /// <summary>Default <see cref="BackoffOptions.Backoff"/>: <see cref="BackoffKind.Exponential"/>.</summary>
    public const BackoffKind DefaultBackoff = BackoffKind.Exponential;

    /// <summary>Name of the Polly retry strategy inside a <see cref="Reconnector"/>.</summary>
    public const string RetryStrategyName = "Resilink.Reconnect.Retry";

    /// <summary>Name of the Polly per-attempt timeout strategy inside a <see cref="Reconnector"/>.</summary>
    public const string TimeoutStrategyName = "Resilink.Reconnect.Timeout";

    /// <summary>Default <see cref="BackoffOptions.InitialDelay"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Default <see cref="BackoffOptions.MaxDelay"/>: 60 s — twice <see cref="RetryConstants.DefaultMaxDelay"/>, because a
    /// lost connection is re-established in the background, where a longer wait costs no caller anything.
    /// </summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="ReconnectOptions.ConnectionTimeout"/>: 30 s per attempt.</summary>
    public static readonly TimeSpan DefaultConnectionTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Smallest accepted <see cref="ReconnectOptions.ConnectionTimeout"/>: 10 ms (Polly's lower bound for a timeout).</summary>
    public static readonly TimeSpan MinimumConnectionTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>Largest accepted <see cref="ReconnectOptions.ConnectionTimeout"/>: 1 day (Polly's upper bound for a timeout).</summary>
    public static readonly TimeSpan MaximumConnectionTimeout = TimeSpan.FromDays(1);
}

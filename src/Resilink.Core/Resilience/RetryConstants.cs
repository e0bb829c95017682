namespace Resilink.Resilience;

/// <summary>Defaults of <see cref="RetryOptions"/> and names used by the retry pipeline.</summary>
public static class RetryConstants
{
    /// <summary>Default <see cref="RetryOptions.MaxRetries"/>: 3 retries after the first attempt (4 attempts in all).</summary>
    public const int DefaultMaxRetries = 3;

    /// <summary>Default <see cref="BackoffOptions.BackoffMultiplier"/>: 2.0 (each delay doubles).</summary>
    public const double DefaultBackoffMultiplier = 2.0;

    /// <summary>Default <see cref="BackoffOptions.JitterFactor"/>: 0.1 (± 10 % of the delay).</summary>
    public const double DefaultJitterFactor = 0.1;

    /// <summary>Default <see cref="BackoffOptions.Backoff"/>: <see cref="BackoffKind.Exponential"/>.</summary>
    public const BackoffKind DefaultBackoff = BackoffKind.Exponential;

    /// <summary>Name of the Polly retry strategy that <see cref="RetryPipelineBuilderExtensions.AddResilinkRetry"/> adds.</summary>
    public const string StrategyName = "Resilink.Retry";

    /// <summary>Default <see cref="BackoffOptions.InitialDelay"/>: 100 ms.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Default <see cref="BackoffOptions.MaxDelay"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Largest accepted <see cref="BackoffOptions.MaxDelay"/>: 1 day (Polly's own upper bound for a retry delay).</summary>
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(1);
}

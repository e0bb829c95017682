namespace Resilink.Resilience;

/// <summary>How the delay before each retry grows. See <see cref="RetryOptions.Backoff"/>.</summary>
public enum BackoffKind
{
    /// <summary><see cref="RetryOptions.InitialDelay"/> × <see cref="RetryOptions.BackoffMultiplier"/>^n: 100, 200, 400, 800 ms … (the default).</summary>
    Exponential = 0,

    /// <summary><see cref="RetryOptions.InitialDelay"/> before every retry: 100, 100, 100 ms ….</summary>
    Fixed = 1,

    /// <summary><see cref="RetryOptions.InitialDelay"/> × (n + 1): 100, 200, 300 ms ….</summary>
    Linear = 2,

    /// <summary><see cref="RetryOptions.CustomDelay"/> decides; the result is still capped and jittered.</summary>
    Custom = 3,
}

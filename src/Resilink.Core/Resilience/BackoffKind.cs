namespace Resilink.Resilience;

/// <summary>How the delay before each retry grows. See <see cref="BackoffOptions.Backoff"/>.</summary>
public enum BackoffKind
{
    /// <summary><see cref="BackoffOptions.InitialDelay"/> × <see cref="BackoffOptions.BackoffMultiplier"/>^n: 100, 200, 400, 800 ms … (the default).</summary>
    Exponential = 0,

    /// <summary><see cref="BackoffOptions.InitialDelay"/> before every retry: 100, 100, 100 ms ….</summary>
    Fixed = 1,

    /// <summary><see cref="BackoffOptions.InitialDelay"/> × (n + 1): 100, 200, 300 ms ….</summary>
    Linear = 2,

    /// <summary><see cref="BackoffOptions.CustomDelay"/> decides; the result is still capped and jittered.</summary>
    Custom = 3,
}

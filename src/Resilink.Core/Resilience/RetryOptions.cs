using Microsoft.Extensions.Options;

namespace Resilink.Resilience;

/// <summary>
/// How a failing connection attempt is retried: how many times, and how long to wait before each retry.
/// Mutable; call <see cref="Validate"/> (the pipeline builders do) to check every setting at once.
/// </summary>
/// <remarks>
/// The delay before retry n (0-based) is computed by <see cref="BackoffCalculator"/>: the <see cref="Backoff"/> curve,
/// capped at <see cref="MaxDelay"/>, then moved uniformly within ± <see cref="JitterFactor"/> of itself
/// (never below zero, never above <see cref="MaxDelay"/>).
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 means one attempt only. Default: 3 (so at most 4 attempts).</summary>
    public int MaxRetries { get; set; } = RetryConstants.DefaultMaxRetries;

    /// <summary>Delay before the first retry, and the base of every curve. Must not be negative. Default: 100 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = RetryConstants.DefaultInitialDelay;

    /// <summary>Cap on any single delay, jitter included. At least <see cref="InitialDelay"/>, at most 1 day. Default: 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = RetryConstants.DefaultMaxDelay;

    /// <summary>Growth factor of <see cref="BackoffKind.Exponential"/>; at least 1.0. Default: 2.0.</summary>
    public double BackoffMultiplier { get; set; } = RetryConstants.DefaultBackoffMultiplier;

    /// <summary>Share of each delay by which it is randomly moved up or down, 0 to 1. Default: 0.1 (± 10 %).</summary>
    public double JitterFactor { get; set; } = RetryConstants.DefaultJitterFactor;

    /// <summary>Shape of the delay curve. Default: <see cref="BackoffKind.Exponential"/>.</summary>
    public BackoffKind Backoff { get; set; } = RetryConstants.DefaultBackoff;

    /// <summary>
    /// Delay before retry n (0-based) when <see cref="Backoff"/> is <see cref="BackoffKind.Custom"/>; required then,
    /// ignored otherwise. Its result is still capped at <see cref="MaxDelay"/> and jittered (set <see cref="JitterFactor"/>
    /// to 0 for exact delays). Default: null.
    /// </summary>
    public Func<int, TimeSpan>? CustomDelay { get; set; }

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectErrors(errors, prefix: "");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RetryOptions), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal void CollectErrors(List<string> errors, string prefix)
    {
        if (MaxRetries < 0)
        {
            errors.Add($"{prefix}{nameof(MaxRetries)} must not be negative (was {MaxRetries}).");
        }
        BackoffRules.CollectErrors(errors, prefix, InitialDelay, MaxDelay, BackoffMultiplier, JitterFactor, Backoff, CustomDelay);
    }
}

using Microsoft.Extensions.Options;

namespace Resilink.Resilience;

/// <summary>
/// The delay curve between attempts, shared by <see cref="RetryOptions"/> (a failing attempt retried) and
/// <see cref="ReconnectOptions"/> (a lost connection re-established), so both are set, checked and computed by
/// <see cref="BackoffCalculator"/> the same way. Mutable; call <see cref="Validate"/> to check every setting at once.
/// </summary>
/// <remarks>
/// The delay before retry n (0-based) is the <see cref="Backoff"/> curve, capped at <see cref="MaxDelay"/>, then moved
/// uniformly within ± <see cref="JitterFactor"/> of itself (never below zero, never above <see cref="MaxDelay"/>).
/// </remarks>
public abstract class BackoffOptions
{
    private protected BackoffOptions(TimeSpan initialDelay, TimeSpan maxDelay, double backoffMultiplier, double jitterFactor, BackoffKind backoff)
    {
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        BackoffMultiplier = backoffMultiplier;
        JitterFactor = jitterFactor;
        Backoff = backoff;
    }

    /// <summary>Delay before the first retry, and the base of every curve. Must not be negative. Default: 100 ms.</summary>
    public TimeSpan InitialDelay { get; set; }

    /// <summary>
    /// Cap on any single delay, jitter included. At least <see cref="InitialDelay"/>, at most 1 day. Default: 30 s for
    /// <see cref="RetryOptions"/>, 60 s for <see cref="ReconnectOptions"/>.
    /// </summary>
    public TimeSpan MaxDelay { get; set; }

    /// <summary>Growth factor of <see cref="BackoffKind.Exponential"/>; at least 1.0. Default: 2.0.</summary>
    public double BackoffMultiplier { get; set; }

    /// <summary>Share of each delay by which it is randomly moved up or down, 0 to 1. Default: 0.1 (± 10 %).</summary>
    public double JitterFactor { get; set; }

    /// <summary>Shape of the delay curve. Default: <see cref="BackoffKind.Exponential"/>.</summary>
    public BackoffKind Backoff { get; set; }

    /// <summary>
    /// Delay before retry n (0-based: 0 is the wait after the first failure) when <see cref="Backoff"/> is
    /// <see cref="BackoffKind.Custom"/>; required then, ignored otherwise. Its result is still capped at
    /// <see cref="MaxDelay"/> and jittered (set <see cref="JitterFactor"/> to 0 for exact delays). Default: null.
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
            throw new OptionsValidationException(Options.DefaultName, GetType(), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal virtual void CollectErrors(List<string> errors, string prefix) =>
        BackoffRules.CollectErrors(errors, prefix, InitialDelay, MaxDelay, BackoffMultiplier, JitterFactor, Backoff, CustomDelay);
}

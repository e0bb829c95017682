using Microsoft.Extensions.Options;

namespace Resilink.Resilience;

/// <summary>
/// How a lost connection is re-established by a <see cref="Reconnector"/>: how many attempts, how long each may take, and
/// how long to wait between them. Mutable; call <see cref="Validate"/> (the <see cref="Reconnector"/> does) to check
/// every setting at once.
/// </summary>
/// <remarks>
/// The delay before attempt n + 2 (after n + 1 failures) is <see cref="BackoffCalculator"/>'s delay n: the
/// <see cref="Backoff"/> curve, capped at <see cref="MaxDelay"/>, then moved uniformly within ± <see cref="JitterFactor"/>
/// of itself (never below zero, never above <see cref="MaxDelay"/>) — the same curves as <see cref="RetryOptions"/>.
/// </remarks>
public sealed class ReconnectOptions
{
    /// <summary>Connection attempts in all, the first included; at least 1. Default: 10.</summary>
    public int MaxAttempts { get; set; } = ReconnectConstants.DefaultMaxAttempts;

    /// <summary>Delay before the second attempt, and the base of every curve. Must not be negative. Default: 100 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = ReconnectConstants.DefaultInitialDelay;

    /// <summary>Cap on any single delay, jitter included. At least <see cref="InitialDelay"/>, at most 1 day. Default: 60 s.</summary>
    public TimeSpan MaxDelay { get; set; } = ReconnectConstants.DefaultMaxDelay;

    /// <summary>Growth factor of <see cref="BackoffKind.Exponential"/>; at least 1.0. Default: 2.0.</summary>
    public double BackoffMultiplier { get; set; } = ReconnectConstants.DefaultBackoffMultiplier;

    /// <summary>Share of each delay by which it is randomly moved up or down, 0 to 1. Default: 0.1 (± 10 %).</summary>
    public double JitterFactor { get; set; } = ReconnectConstants.DefaultJitterFactor;

    /// <summary>Shape of the delay curve. Default: <see cref="BackoffKind.Exponential"/>.</summary>
    public BackoffKind Backoff { get; set; } = ReconnectConstants.DefaultBackoff;

    /// <summary>
    /// Delay before retry n (0-based: 0 is the wait after the first failure) when <see cref="Backoff"/> is
    /// <see cref="BackoffKind.Custom"/>; required then, ignored otherwise. Still capped at <see cref="MaxDelay"/> and
    /// jittered (set <see cref="JitterFactor"/> to 0 for exact delays). Default: null.
    /// </summary>
    public Func<int, TimeSpan>? CustomDelay { get; set; }

    /// <summary>
    /// How long one attempt may take before its token is cancelled and it counts as a failed (transient) attempt;
    /// 10 ms to 1 day. The timeout is cooperative, as Polly's: the connect delegate must honour its token. Default: 30 s.
    /// </summary>
    public TimeSpan ConnectionTimeout { get; set; } = ReconnectConstants.DefaultConnectionTimeout;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectErrors(errors, prefix: "");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ReconnectOptions), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal void CollectErrors(List<string> errors, string prefix)
    {
        if (MaxAttempts < 1)
        {
            errors.Add($"{prefix}{nameof(MaxAttempts)} must be at least 1 (was {MaxAttempts}).");
        }
        BackoffRules.CollectErrors(errors, prefix, InitialDelay, MaxDelay, BackoffMultiplier, JitterFactor, Backoff, CustomDelay);
        if (ConnectionTimeout < ReconnectConstants.MinimumConnectionTimeout || ConnectionTimeout > ReconnectConstants.MaximumConnectionTimeout)
        {
            errors.Add(
                $"{prefix}{nameof(ConnectionTimeout)} must be between {ReconnectConstants.MinimumConnectionTimeout} and " +
                $"{ReconnectConstants.MaximumConnectionTimeout} (was {ConnectionTimeout}).");
        }
    }
}

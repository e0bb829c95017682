namespace Resilink.Resilience;

/// <summary>
/// The checks shared by every options type whose delays come from <see cref="BackoffCalculator"/>
/// (<see cref="RetryOptions"/>, <see cref="ReconnectOptions"/>), so both report the same messages.
/// </summary>
internal static class BackoffRules
{
    /// <summary>Adds one message per bad backoff setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    public static void CollectErrors(
        List<string> errors,
        string prefix,
        TimeSpan initialDelay,
        TimeSpan maxDelay,
        double backoffMultiplier,
        double jitterFactor,
        BackoffKind backoff,
        Func<int, TimeSpan>? customDelay)
    {
        if (initialDelay < TimeSpan.Zero)
        {
            errors.Add($"{prefix}InitialDelay must not be negative (was {initialDelay}).");
        }
        if (maxDelay < TimeSpan.Zero || maxDelay > RetryConstants.MaximumDelay)
        {
            errors.Add($"{prefix}MaxDelay must be between 0 and {RetryConstants.MaximumDelay} (was {maxDelay}).");
        }
        else if (maxDelay < initialDelay)
        {
            errors.Add($"{prefix}MaxDelay must be at least InitialDelay ({initialDelay}) (was {maxDelay}).");
        }
        if (!double.IsFinite(backoffMultiplier) || backoffMultiplier < 1.0)
        {
            errors.Add($"{prefix}BackoffMultiplier must be a finite number of at least 1.0 (was {backoffMultiplier}).");
        }
        if (double.IsNaN(jitterFactor) || jitterFactor < 0.0 || jitterFactor > 1.0)
        {
            errors.Add($"{prefix}JitterFactor must be between 0 and 1 (was {jitterFactor}).");
        }
        if (!Enum.IsDefined(backoff))
        {
            errors.Add($"{prefix}Backoff must be one of {string.Join(", ", Enum.GetNames<BackoffKind>())} (was {(int)backoff}).");
        }
        else if (backoff == BackoffKind.Custom && customDelay is null)
        {
            errors.Add($"{prefix}CustomDelay is required when Backoff is {nameof(BackoffKind.Custom)}.");
        }
    }
}

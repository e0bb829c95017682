namespace Resilink.Resilience;

/// <summary>
/// How a failing connection attempt is retried: how many times, and how long to wait before each retry (the delay
/// curve of <see cref="BackoffOptions"/>). Mutable; call <see cref="BackoffOptions.Validate"/> (the pipeline builders
/// do) to check every setting at once.
/// </summary>
public sealed class RetryOptions : BackoffOptions
{
    /// <summary>Initializes a new instance of the <see cref="RetryOptions"/> class with the defaults of <see cref="RetryConstants"/>.</summary>
    public RetryOptions()
        : base(RetryConstants.DefaultInitialDelay, RetryConstants.DefaultMaxDelay, RetryConstants.DefaultBackoffMultiplier,
            RetryConstants.DefaultJitterFactor, RetryConstants.DefaultBackoff)
    {
    }

    /// <summary>Retries after the first attempt; 0 means one attempt only. Default: 3 (so at most 4 attempts).</summary>
    public int MaxRetries { get; set; } = RetryConstants.DefaultMaxRetries;

    /// <inheritdoc/>
    internal override void CollectErrors(List<string> errors, string prefix)
    {
        if (MaxRetries < 0)
        {
            errors.Add($"{prefix}{nameof(MaxRetries)} must not be negative (was {MaxRetries}).");
        }
        base.CollectErrors(errors, prefix);
    }
}

namespace Resilink.Resilience;

/// <summary>
/// How a lost connection is re-established by a <see cref="Reconnector"/>: how many attempts, how long each may take, and
/// how long to wait between them (the delay curve of <see cref="BackoffOptions"/>: the delay before attempt n + 2, after
/// n + 1 failures, is <see cref="BackoffCalculator"/>'s delay n). Mutable; call <see cref="BackoffOptions.Validate"/>
/// (the <see cref="Reconnector"/> does) to check every setting at once.
/// </summary>
public sealed class ReconnectOptions : BackoffOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReconnectOptions"/> class with the defaults of <see cref="ReconnectConstants"/>.</summary>
    public ReconnectOptions()
        : base(ReconnectConstants.DefaultInitialDelay, ReconnectConstants.DefaultMaxDelay, ReconnectConstants.DefaultBackoffMultiplier,
            ReconnectConstants.DefaultJitterFactor, ReconnectConstants.DefaultBackoff)
    {
    }

    /// <summary>Connection attempts in all, the first included; at least 1. Default: 10.</summary>
    public int MaxAttempts { get; set; } = ReconnectConstants.DefaultMaxAttempts;

    /// <summary>
    /// How long one attempt may take before its token is cancelled and it counts as a failed (transient) attempt;
    /// 10 ms to 1 day. The timeout is cooperative, as Polly's: the connect delegate must honour its token. Default: 30 s.
    /// </summary>
    public TimeSpan ConnectionTimeout { get; set; } = ReconnectConstants.DefaultConnectionTimeout;

    /// <inheritdoc/>
    internal override void CollectErrors(List<string> errors, string prefix)
    {
        if (MaxAttempts < 1)
        {
            errors.Add($"{prefix}{nameof(MaxAttempts)} must be at least 1 (was {MaxAttempts}).");
        }
        base.CollectErrors(errors, prefix);
        if (ConnectionTimeout < ReconnectConstants.MinimumConnectionTimeout || ConnectionTimeout > ReconnectConstants.MaximumConnectionTimeout)
        {
            errors.Add(
                $"{prefix}{nameof(ConnectionTimeout)} must be between {ReconnectConstants.MinimumConnectionTimeout} and " +
                $"{ReconnectConstants.MaximumConnectionTimeout} (was {ConnectionTimeout}).");
        }
    }
}

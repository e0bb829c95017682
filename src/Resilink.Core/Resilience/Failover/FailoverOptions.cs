using Microsoft.Extensions.Options;

namespace Resilink.Resilience;

/// <summary>
/// When a <see cref="FailoverController{TEndpoint}"/> leaves an endpoint and when it returns to the primary. Mutable;
/// call <see cref="Validate"/> (the controller does, and copies the values) to check every setting at once.
/// </summary>
public sealed class FailoverOptions
{
    /// <summary>
    /// Consecutive failures (<see cref="FailoverController{TEndpoint}.RecordFailure"/> with no success between) after
    /// which an endpoint counts as failed; a failed active endpoint triggers a failover (or failback). 1 to 1000. Default: 3.
    /// </summary>
    public int FailureThreshold { get; set; } = FailoverConstants.DefaultFailureThreshold;

    /// <summary>
    /// Health score under which an endpoint counts as failed, and at or above which a failed one has recovered
    /// (<see cref="FailoverController{TEndpoint}.ReportHealth(TEndpoint, double)"/>). 0 to 1; 0 turns scores off (they are
    /// then ignored). Default: 0.3, <see cref="Health.HealthOptions.MinHealthThreshold"/>.
    /// </summary>
    public double HealthThreshold { get; set; } = FailoverConstants.DefaultHealthThreshold;

    /// <summary>
    /// Return to the primary by itself once it has been healthy for <see cref="FailbackDelay"/>. A manual
    /// failover turns it off until the next manual failback (or until the secondary fails). Default: true.
    /// </summary>
    public bool AutomaticFailback { get; set; } = FailoverConstants.DefaultAutomaticFailback;

    /// <summary>
    /// How long the primary must have been healthy before an automatic failback, counted from the first success (or
    /// healthy report) after its last failure: a failure restarts the wait, and only a success starts it again. 0 means
    /// at the first success. 0 to 1 day. Default: 60 s.
    /// </summary>
    public TimeSpan FailbackDelay { get; set; } = FailoverConstants.DefaultFailbackDelay;

    /// <summary>
    /// How long the switch hook may warm the new endpoint up before the switch counts as failed (its token is cancelled
    /// then). Positive, at most 1 day. Default: 30 s.
    /// </summary>
    public TimeSpan SwitchTimeout { get; set; } = FailoverConstants.DefaultSwitchTimeout;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        CollectErrors(errors, prefix: "");
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(FailoverOptions), errors);
        }
    }

    /// <summary>Adds one message per bad setting to <paramref name="errors"/>, each naming <paramref name="prefix"/> + the option.</summary>
    internal void CollectErrors(List<string> errors, string prefix)
    {
        if (FailureThreshold < 1 || FailureThreshold > FailoverConstants.MaximumFailureThreshold)
        {
            errors.Add($"{prefix}{nameof(FailureThreshold)} must be between 1 and {FailoverConstants.MaximumFailureThreshold} (was {FailureThreshold}).");
        }
        if (double.IsNaN(HealthThreshold) || HealthThreshold < 0.0 || HealthThreshold > 1.0)
        {
            errors.Add($"{prefix}{nameof(HealthThreshold)} must be between 0 and 1 (was {HealthThreshold}).");
        }
        if (FailbackDelay < TimeSpan.Zero || FailbackDelay > FailoverConstants.MaximumDelay)
        {
            errors.Add($"{prefix}{nameof(FailbackDelay)} must be between 0 and {FailoverConstants.MaximumDelay} (was {FailbackDelay}).");
        }
        if (SwitchTimeout <= TimeSpan.Zero || SwitchTimeout > FailoverConstants.MaximumDelay)
        {
            errors.Add($"{prefix}{nameof(SwitchTimeout)} must be positive and at most {FailoverConstants.MaximumDelay} (was {SwitchTimeout}).");
        }
    }
}

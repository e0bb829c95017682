namespace Resilink.Alerting;

/// <summary>Where <see cref="AlertmanagerAlertSink"/> posts, plus the shared HTTP settings. Mutable; call <see cref="HttpAlertSinkOptions.Validate"/>.</summary>
public sealed class AlertmanagerAlertSinkOptions : HttpAlertSinkOptions
{
    /// <summary>The Alertmanager's base URL, e.g. <c>http://127.0.0.1:9093/</c>; alerts go to <c>api/v2/alerts</c> under it. Required. Default: null.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The <c>generatorURL</c> of every alert (a link back to whoever raised it); absolute http(s) or null for none. Default: null.</summary>
    public Uri? GeneratorUrl { get; set; }

    /// <summary>
    /// How long after it was last seen a firing alert is valid: its <c>endsAt</c> is last seen + this, so Alertmanager
    /// resolves it by itself if no reminder comes (the process died). Keep it above the cooldown; positive. Default: 20 min.
    /// </summary>
    public TimeSpan FiringTimeout { get; set; } = AlertConstants.DefaultFiringTimeout;

    /// <inheritdoc />
    private protected override void CollectErrors(List<string> errors)
    {
        RequireHttpUrl(BaseAddress, nameof(BaseAddress), errors);
        RequireHttpUrl(GeneratorUrl, nameof(GeneratorUrl), errors, required: false);
        if (FiringTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(FiringTimeout)} must be positive (was {FiringTimeout}).");
        }
    }
}

namespace Resilink.Alerting;

/// <summary>Where <see cref="WebhookAlertSink"/> posts, plus the shared HTTP settings. Mutable; call <see cref="HttpAlertSinkOptions.Validate"/>.</summary>
public sealed class WebhookAlertSinkOptions : HttpAlertSinkOptions
{
    /// <summary>The URL each alert is POSTed to as JSON; an absolute http or https URL, required. Default: null.</summary>
    public Uri? Url { get; set; }

    /// <inheritdoc />
    private protected override void CollectErrors(List<string> errors) => RequireHttpUrl(Url, nameof(Url), errors);
}

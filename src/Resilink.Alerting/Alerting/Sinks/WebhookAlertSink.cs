using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Alerting;

/// <summary>
/// POSTs each alert as one JSON object to a URL: <c>id</c>, <c>rule</c>, <c>level</c> (info … critical), <c>status</c>
/// (firing or resolved), <c>service</c>, <c>message</c>, <c>description</c>, <c>labels</c>, <c>firstSeen</c>,
/// <c>lastSeen</c>, <c>count</c>, <c>resolvedAt</c>. Each request is limited by <see cref="HttpAlertSinkOptions.Timeout"/>;
/// 5xx answers, hangs and connection errors are retried with <see cref="HttpAlertSinkOptions.Retry"/>, then given up
/// (the <see cref="AlertManager"/> logs it). Runs on the manager's background sender, never on the monitoring path.
/// </summary>
public sealed class WebhookAlertSink : IAlertSink
{
    private readonly AlertHttpPoster _poster;
    private readonly Uri _url;

    /// <summary>Initializes a new instance of the <see cref="WebhookAlertSink"/> class.</summary>
    /// <param name="httpClient">The client to send with; not disposed by the sink. Its own <see cref="HttpClient.Timeout"/> should be above the sink's.</param>
    /// <param name="options">The settings; validated here, read now.</param>
    /// <param name="timeProvider">The clock of timeouts and retry delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where failed attempts are logged (Debug); none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public WebhookAlertSink(HttpClient httpClient, WebhookAlertSinkOptions options, TimeProvider? timeProvider = null, ILogger<WebhookAlertSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _url = options.Url!;
        _poster = new AlertHttpPoster(httpClient, options, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return _poster.PostAsync(_url, JsonSerializer.SerializeToUtf8Bytes(ToJson(alert), AlertJsonContext.Default.WebhookAlertJson), cancellationToken);
    }

    internal static WebhookAlertJson ToJson(Alert alert) => new(
        alert.Id,
        alert.Rule.Name,
        AlertLevelNames.Of(alert.Level),
        alert.IsResolved ? "resolved" : "firing",
        alert.Service,
        alert.Message,
        alert.Rule.Description,
        alert.Labels,
        alert.FirstSeen,
        alert.LastSeen,
        alert.Count,
        alert.ResolvedAt);
}

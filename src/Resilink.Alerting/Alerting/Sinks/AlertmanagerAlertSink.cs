using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilink.Alerting;

/// <summary>
/// Sends alerts to Prometheus Alertmanager through its v2 API (<c>POST /api/v2/alerts</c>, one alert per request).
/// Labels: the alert's own, plus <c>alertname</c> (the rule), <c>severity</c> (info … critical) and <c>service</c>;
/// names that are not valid Prometheus label names get their bad characters replaced by <c>_</c>. Annotations:
/// <c>summary</c> (the message), <c>description</c> (the rule's, if any), <c>count</c>, <c>alert_id</c>. A firing
/// alert ends at last seen + <see cref="AlertmanagerAlertSinkOptions.FiringTimeout"/>; a resolved one at its
/// resolution time, which resolves it in Alertmanager. Timeouts and retries as <see cref="WebhookAlertSink"/>.
/// </summary>
public sealed class AlertmanagerAlertSink : IAlertSink
{
    private readonly AlertHttpPoster _poster;
    private readonly Uri _alertsUrl;
    private readonly string? _generatorUrl;
    private readonly TimeSpan _firingTimeout;

    /// <summary>Initializes a new instance of the <see cref="AlertmanagerAlertSink"/> class.</summary>
    /// <param name="httpClient">The client to send with; not disposed by the sink.</param>
    /// <param name="options">The settings; validated here, read now.</param>
    /// <param name="timeProvider">The clock of timeouts and retry delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where failed attempts are logged (Debug); none when null.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public AlertmanagerAlertSink(HttpClient httpClient, AlertmanagerAlertSinkOptions options, TimeProvider? timeProvider = null, ILogger<AlertmanagerAlertSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string baseUrl = options.BaseAddress!.AbsoluteUri;
        _alertsUrl = new Uri(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"), "api/v2/alerts");
        _generatorUrl = options.GeneratorUrl?.AbsoluteUri;
        _firingTimeout = options.FiringTimeout;
        _poster = new AlertHttpPoster(httpClient, options, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <inheritdoc />
    public string Name => "alertmanager";

    /// <inheritdoc />
    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes([ToJson(alert)], AlertJsonContext.Default.AlertmanagerAlertJsonArray);
        return _poster.PostAsync(_alertsUrl, body, cancellationToken);
    }

    internal AlertmanagerAlertJson ToJson(Alert alert)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> label in alert.Labels)
        {
            labels[PrometheusLabelName.Sanitize(label.Key)] = label.Value;
        }

        labels["alertname"] = alert.Rule.Name;
        labels["severity"] = AlertLevelNames.Of(alert.Level);
        labels["service"] = alert.Service;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = alert.Message,
            ["count"] = alert.Count.ToString(CultureInfo.InvariantCulture),
            ["alert_id"] = alert.Id,
        };
        if (alert.Rule.Description is { } description)
        {
            annotations["description"] = description;
        }

        DateTimeOffset endsAt = alert.ResolvedAt ?? alert.LastSeen + _firingTimeout;
        return new AlertmanagerAlertJson(labels, annotations, alert.FirstSeen.ToUniversalTime(), endsAt.ToUniversalTime(), _generatorUrl);
    }
}

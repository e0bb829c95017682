using Resilink.Alerting;
using Resilink.Monitoring;

namespace Resilink.Hosting;

/// <summary>Where a hosted node's alerts go, and how the node checks itself.</summary>
public sealed class ResilinkAlertingOptions
{
    /// <summary>Prometheus Alertmanager to post alerts to (its base URL, e.g. <c>http://127.0.0.1:9093</c>); none when null. Default: null.</summary>
    public Uri? AlertmanagerUrl { get; set; }

    /// <summary>A URL that receives every alert as a JSON POST; none when null. Default: null.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Lowest level sent to the Alertmanager and the webhook (every level is logged). Default: Warning.</summary>
    public MonitoringLevel MinimumRemoteLevel { get; set; } = MonitoringLevel.Warning;

    /// <summary>The node's self-check: interval, thresholds, retention. Default: <see cref="ServiceHealthOptions"/>' defaults.</summary>
    public ServiceHealthOptions ServiceHealth { get; set; } = new();

    /// <summary>Cooldown, aggregation and bounds of the alert manager.</summary>
    public AlertManagerOptions AlertManager { get; set; } = new();
}

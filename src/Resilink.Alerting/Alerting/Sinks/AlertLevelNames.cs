namespace Resilink.Alerting;

/// <summary>The lowercase wire names of <see cref="MonitoringLevel"/> (Alertmanager's <c>severity</c>, the webhook's <c>level</c>).</summary>
internal static class AlertLevelNames
{
    public static string Of(MonitoringLevel level) => level switch
    {
        MonitoringLevel.Info => "info",
        MonitoringLevel.Warning => "warning",
        MonitoringLevel.Error => "error",
        MonitoringLevel.Critical => "critical",
        _ => "unknown",
    };
}

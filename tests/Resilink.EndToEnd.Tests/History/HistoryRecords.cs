using Resilink.Alerting;
using Resilink.Health;
using Resilink.Hosting.History;

namespace Resilink.EndToEnd.Tests.History;

/// <summary>Records for the store tests, with whole-millisecond times (the database keeps milliseconds).</summary>
internal static class HistoryRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static HealthSampleRecord Sample(DateTimeOffset at, string connection = "conn-1", double score = 0.93) =>
        new(at, "12D3KooWPeer", connection, HealthStatus.Healthy, score, 1.25, 3.5, 2, 4096.5);

    public static StatusChangeRecord Change(DateTimeOffset at, string connection = "conn-1") =>
        new(at, "12D3KooWPeer", connection, HealthStatus.Healthy, HealthStatus.Degraded, 0.61, "RTT p95 3x the limit");

    public static AlertRecord Alert(DateTimeOffset at, bool resolved = false) =>
        new(at, "0123456789abcdef0123456789abcdef", "ResilinkConnectionUnhealthy", MonitoringLevel.Warning, "resilink-node/12D3KooWPeer", "conn-1 is Dead", resolved);

    public static HealthHistoryOptions Options(string directory, Action<HealthHistoryOptions>? configure = null)
    {
        var options = new HealthHistoryOptions { DataDirectory = directory };
        configure?.Invoke(options);
        return options;
    }
}

namespace Resilink.Health;

/// <summary>
/// Writes the per-connection families of the Prometheus export. Every series has the labels <c>peer</c> and
/// <c>connection</c>; base units are seconds and bytes.
/// </summary>
/// <remarks>
/// Peer ids as label values are fine for this on-demand export: one scrape, one snapshot. A continuously
/// scraped metrics pipeline would create a series per peer ever seen, so the metrics pipeline (a later issue)
/// keeps peer labels opt-in.
/// </remarks>
internal static class PrometheusConnectionMetrics
{
    private static readonly (string Label, Func<RttStatistics, TimeSpan> Value)[] RttQuantiles =
    [
        ("0.5", rtt => rtt.P50),
        ("0.95", rtt => rtt.P95),
        ("0.99", rtt => rtt.P99),
    ];

    /// <summary>Writes every per-connection family; nothing when there are no connections (a family without samples is noise).</summary>
    public static void Write(PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        if (connections.Count == 0)
        {
            return;
        }

        WriteStatus(writer, connections);
        Gauge(writer, connections, "resilink_health_connection_score", "Health score, 0..1 (1 = fully healthy).", c => c.Score);
        Gauge(writer, connections, "resilink_health_connection_phi", "Phi of the accrual failure detector (0 = answering as expected; higher = more likely dead).", c => c.Phi);
        WriteRtt(writer, connections);
        Gauge(writer, connections, "resilink_health_connection_rtt_average_seconds", "Moving average of the ping round-trip time in seconds; NaN before the first answered ping.", c => RttSeconds(c.Rtt, c.Rtt.Average));
        Gauge(writer, connections, "resilink_health_connection_rtt_last_seconds", "Round-trip time of the latest answered ping in seconds; NaN before the first.", c => RttSeconds(c.Rtt, c.Rtt.Last));
        Gauge(writer, connections, "resilink_health_connection_ping_success_ratio", "Share of recent pings answered, 0..1 (1 before any ping).", c => c.PingSuccessRate);
        Counter(writer, connections, "resilink_health_connection_pings_total", "Pings sent, answered or not.", c => c.PingsSent);
        Counter(writer, connections, "resilink_health_connection_ping_failures_total", "Pings that failed or timed out.", c => c.PingsFailed);
        Gauge(writer, connections, "resilink_health_connection_active_streams", "Streams open on the connection now.", c => c.ActiveStreams);
        Counter(writer, connections, "resilink_health_connection_streams_opened_total", "Streams opened on the connection.", c => c.StreamsOpened);
        Counter(writer, connections, "resilink_health_connection_failed_streams_total", "Streams that failed (open failures, resets, timeouts).", c => c.FailedStreams);
        WriteBytes(writer, connections);
        WriteBandwidth(writer, connections);
        Gauge(writer, connections, "resilink_health_connection_age_seconds", "Time since the connection opened in seconds.", c => c.Age.TotalSeconds);
        Gauge(writer, connections, "resilink_health_connection_routable", "1 if the connection receives new streams, 0 if excluded for bad health.", c => c.IsRoutable ? 1 : 0);
    }

    // One-hot: one series per status, 1 for the connection's status, so `== 1` selects by status in PromQL.
    private static void WriteStatus(PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        const string name = "resilink_health_connection_status";
        writer.BeginFamily(name, "gauge", "1 for the connection's health status, 0 for the others.");
        foreach (ConnectionHealthSnapshot c in connections)
        {
            foreach (HealthStatus status in Enum.GetValues<HealthStatus>().Append(c.Status).Distinct().Order())
            {
                writer.Sample(name, status == c.Status ? 1 : 0, Peer(c), Connection(c), ("status", HealthWireNames.Label(status)));
            }
        }
    }

    // A summary without _sum: the window's quantiles are known, the sum of all round trips is not kept.
    private static void WriteRtt(PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        const string name = "resilink_health_connection_rtt_seconds";
        writer.BeginFamily(name, "summary", "Ping round-trip time in seconds: quantiles over the latency window (NaN before the first answered ping), count of answered pings.");
        foreach (ConnectionHealthSnapshot c in connections)
        {
            foreach ((string quantile, Func<RttStatistics, TimeSpan> value) in RttQuantiles)
            {
                writer.Sample(name, RttSeconds(c.Rtt, value(c.Rtt)), Peer(c), Connection(c), ("quantile", quantile));
            }

            writer.Sample(name + "_count", c.Rtt.SampleCount, Peer(c), Connection(c));
        }
    }

    private static void WriteBytes(PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        const string name = "resilink_health_connection_bytes_total";
        writer.BeginFamily(name, "counter", "Bytes through the connection since it opened.");
        foreach (ConnectionHealthSnapshot c in connections)
        {
            writer.Sample(name, c.Bandwidth.BytesIn, Peer(c), Connection(c), ("direction", "in"));
            writer.Sample(name, c.Bandwidth.BytesOut, Peer(c), Connection(c), ("direction", "out"));
        }
    }

    private static void WriteBandwidth(PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        const string name = "resilink_health_connection_bandwidth_bytes_per_second";
        writer.BeginFamily(name, "gauge", "Bytes per second: current (latest second), average and peak (over the bandwidth window).");
        foreach (ConnectionHealthSnapshot c in connections)
        {
            BandwidthStatistics b = c.Bandwidth;
            foreach ((string direction, double current, double average, double peak) in new[]
            {
                ("in", b.CurrentIn, b.AverageIn, b.PeakIn),
                ("out", b.CurrentOut, b.AverageOut, b.PeakOut),
            })
            {
                writer.Sample(name, current, Peer(c), Connection(c), ("direction", direction), ("kind", "current"));
                writer.Sample(name, average, Peer(c), Connection(c), ("direction", direction), ("kind", "average"));
                writer.Sample(name, peak, Peer(c), Connection(c), ("direction", direction), ("kind", "peak"));
            }
        }
    }

    private static void Gauge(
        PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections, string name, string help, Func<ConnectionHealthSnapshot, double> value)
    {
        writer.BeginFamily(name, "gauge", help);
        foreach (ConnectionHealthSnapshot c in connections)
        {
            writer.Sample(name, value(c), Peer(c), Connection(c));
        }
    }

    private static void Counter(
        PrometheusTextWriter writer, IReadOnlyList<ConnectionHealthSnapshot> connections, string name, string help, Func<ConnectionHealthSnapshot, long> value)
    {
        writer.BeginFamily(name, "counter", help);
        foreach (ConnectionHealthSnapshot c in connections)
        {
            writer.Sample(name, value(c), Peer(c), Connection(c));
        }
    }

    // RttStatistics is all zeros before the first answer; 0 s would chart as a perfect link, NaN as "no data".
    private static double RttSeconds(RttStatistics rtt, TimeSpan value) => rtt.SampleCount == 0 ? double.NaN : value.TotalSeconds;

    private static (string, string) Peer(ConnectionHealthSnapshot c) => ("peer", c.PeerKey);

    private static (string, string) Connection(ConnectionHealthSnapshot c) => ("connection", c.ConnectionId);
}

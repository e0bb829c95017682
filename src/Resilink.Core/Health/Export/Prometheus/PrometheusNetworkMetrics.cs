namespace Resilink.Health;

/// <summary>Writes the network-wide families of the Prometheus export: counts and the health over all connections.</summary>
internal static class PrometheusNetworkMetrics
{
    /// <summary>Writes every network-wide family of <paramref name="summary"/>.</summary>
    public static void Write(PrometheusTextWriter writer, NetworkHealthSummary summary)
    {
        writer.BeginFamily("resilink_health_peers", "gauge", "Peers with at least one connection.");
        writer.Sample("resilink_health_peers", summary.TotalPeers);

        writer.BeginFamily("resilink_health_connections", "gauge", "Connections across all peers.");
        writer.Sample("resilink_health_connections", summary.TotalConnections);

        writer.BeginFamily("resilink_health_connections_by_status", "gauge", "Connections in each health status (every status, zeros included).");
        foreach ((HealthStatus status, int count) in HealthWireNames.EveryStatus(summary.ConnectionsByStatus))
        {
            writer.Sample("resilink_health_connections_by_status", count, ("status", HealthWireNames.Label(status)));
        }

        writer.BeginFamily("resilink_health_average", "gauge", "Mean health score (0..1) over all connections; 0 with none.");
        writer.Sample("resilink_health_average", summary.AverageHealth);

        writer.BeginFamily("resilink_health_min", "gauge", "Lowest health score (0..1) of any connection; 0 with none.");
        writer.Sample("resilink_health_min", summary.MinHealth);
    }
}

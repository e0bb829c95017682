using System.Text.RegularExpressions;

namespace Resilink.EndToEnd.Tests.Prometheus;

/// <summary>
/// The metric names the Resilink meter produces in Prometheus form (OpenTelemetry Prometheus exporter), which the
/// alert rules and the dashboard may use. Histograms exist only as their _bucket, _sum and _count series.
/// </summary>
internal static partial class ResilinkMetricNames
{
    public static readonly IReadOnlyList<string> CountersAndGauges =
    [
        "resilink_connection_attempts_total",
        "resilink_connection_state_transitions_total",
        "resilink_connections_active",
        "resilink_connection_bytes_total",
        "resilink_connection_errors_total",
        "resilink_streams_total",
        "resilink_circuit_breaker_state",
        "resilink_peers_connected",
        "resilink_peers_discovered_total",
        "resilink_peers_lost_total",
        "resilink_messages_total",
        "resilink_messages_buffered",
        "resilink_pool_utilization",
        "resilink_pool_waiters",
        "resilink_connection_health_transitions_total",
        "resilink_reconnect_attempts_total",
        "resilink_reconnections_total",
        "resilink_connection_replacements_total",
        "resilink_failover_transitions_total",
        "resilink_circuit_breaker_trips_total",
    ];

    public static readonly IReadOnlyList<string> Histograms =
    [
        "resilink_connection_duration_seconds",
        "resilink_connection_rtt_seconds",
        "resilink_message_size_bytes",
        "resilink_message_latency_seconds",
    ];

    private static readonly HashSet<string> Series = new(
        CountersAndGauges.Concat(Histograms.SelectMany(h => new[] { h + "_bucket", h + "_sum", h + "_count" })),
        StringComparer.Ordinal);

    /// <summary>Every resilink_* name in <paramref name="text"/> (a whole identifier, not a piece of a longer one).</summary>
    public static IEnumerable<string> NamesIn(string text) => NamePattern().Matches(text).Select(m => m.Value);

    /// <summary>The resilink_* names in <paramref name="text"/> that are not series of the Resilink meter, once each.</summary>
    public static IReadOnlyList<string> UnknownIn(string text) =>
        NamesIn(text).Where(name => !Series.Contains(name)).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("(?<![A-Za-z0-9_:])resilink_[A-Za-z0-9_:]+")]
    private static partial Regex NamePattern();
}

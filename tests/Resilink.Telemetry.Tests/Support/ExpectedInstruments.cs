namespace Resilink.Telemetry.Tests.Support;

/// <summary>
/// The instrument table that alert rules and dashboards are written against: OpenTelemetry name, instrument type,
/// unit, and the Prometheus name the OpenTelemetry Prometheus exporter (1.20.1-beta.1, default translation strategy)
/// gives it. Written out literally (not from <see cref="ResilinkMetricNames"/>) so a renamed constant fails these tests.
/// </summary>
/// <remarks>
/// The exporter appends no suffix for unit <c>1</c>: the pool gauge is <c>resilink_pool_utilization</c>, not
/// <c>resilink_pool_utilization_ratio</c> (OTLP into the Collector or Prometheus' own OTLP receiver may add
/// <c>_ratio</c>; that path is not tested here).
/// </remarks>
internal static class ExpectedInstruments
{
    public sealed record Row(string Name, string Kind, string Unit, string PrometheusName);

    public static readonly Row[] All =
    [
        new("resilink.connection.attempts", "Counter`1", "{attempt}", "resilink_connection_attempts_total"),
        new("resilink.connection.state_transitions", "Counter`1", "{transition}", "resilink_connection_state_transitions_total"),
        new("resilink.connections.active", "UpDownCounter`1", "{connection}", "resilink_connections_active"),
        new("resilink.connection.duration", "Histogram`1", "s", "resilink_connection_duration_seconds"),
        new("resilink.connection.rtt", "Histogram`1", "s", "resilink_connection_rtt_seconds"),
        new("resilink.connection.bytes", "Counter`1", "By", "resilink_connection_bytes_total"),
        new("resilink.connection.errors", "Counter`1", "{error}", "resilink_connection_errors_total"),
        new("resilink.streams", "Counter`1", "{stream}", "resilink_streams_total"),
        new("resilink.circuit_breaker.state", "UpDownCounter`1", "{breaker}", "resilink_circuit_breaker_state"),
        new("resilink.peers.connected", "UpDownCounter`1", "{peer}", "resilink_peers_connected"),
        new("resilink.peers.discovered", "Counter`1", "{peer}", "resilink_peers_discovered_total"),
        new("resilink.peers.lost", "Counter`1", "{peer}", "resilink_peers_lost_total"),
        new("resilink.messages", "Counter`1", "{message}", "resilink_messages_total"),
        new("resilink.message.size", "Histogram`1", "By", "resilink_message_size_bytes"),
        new("resilink.message.latency", "Histogram`1", "s", "resilink_message_latency_seconds"),
        new("resilink.messages.buffered", "UpDownCounter`1", "{message}", "resilink_messages_buffered"),
        new("resilink.pool.utilization", "Gauge`1", "1", "resilink_pool_utilization"),
        new("resilink.pool.waiters", "Gauge`1", "{waiter}", "resilink_pool_waiters"),
        new("resilink.connection.health_transitions", "Counter`1", "{transition}", "resilink_connection_health_transitions_total"),
        new("resilink.reconnect.attempts", "Counter`1", "{attempt}", "resilink_reconnect_attempts_total"),
        new("resilink.reconnections", "Counter`1", "{reconnection}", "resilink_reconnections_total"),
        new("resilink.connection.replacements", "Counter`1", "{replacement}", "resilink_connection_replacements_total"),
        new("resilink.failover.transitions", "Counter`1", "{transition}", "resilink_failover_transitions_total"),
        new("resilink.circuit_breaker.trips", "Counter`1", "{trip}", "resilink_circuit_breaker_trips_total"),
    ];
}

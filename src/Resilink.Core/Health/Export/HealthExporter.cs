using System.Text;
using System.Text.Json;

namespace Resilink.Health;

/// <summary>Turns a <see cref="NetworkHealthSummary"/> into text for people and tools, on demand.</summary>
/// <remarks>
/// <para>
/// <see cref="HealthExportFormat.Json"/>: an indented UTF-8 JSON document with camelCase property names; the
/// summary's fields, each peer, and each connection with every snapshot field, histories included. Statuses are
/// their enum names (<c>"Healthy"</c>, as on the dashboard), event kinds camelCase (<c>"statusChanged"</c>). TimeSpans are numbers of seconds and their
/// names end in <c>Seconds</c> (<c>ageSeconds</c>, <c>rtt.p95Seconds</c>, <c>bandwidth.windowSeconds</c>); rates
/// are bytes per second; timestamps are ISO 8601. NaN and ±Infinity are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </para>
/// <para>
/// <see cref="HealthExportFormat.Prometheus"/>: the text exposition format 0.0.4, network-wide families
/// (<c>resilink_health_peers</c>, <c>resilink_health_connections</c>, …) then per-connection families labelled <c>peer</c> and
/// <c>connection</c> (<c>resilink_health_connection_score</c>, <c>resilink_health_connection_rtt_seconds</c>, …), in
/// seconds and bytes. Every family starts with <c>resilink_health_</c>, so the snapshot can be scraped next to the
/// continuously updated <c>resilink_*</c> instruments of the <c>Resilink</c> meter without a name clash.
/// RTT series are NaN while a connection has no answered ping. Peer ids as label values are
/// fine for this on-demand export; the continuously scraped metrics pipeline (a later issue) keeps them opt-in,
/// since each peer ever seen would add series.
/// </para>
/// </remarks>
public static class HealthExporter
{
    /// <summary>Exports <paramref name="summary"/> as text.</summary>
    /// <param name="summary">The health to export.</param>
    /// <param name="format">The text format.</param>
    /// <returns>The JSON document or the Prometheus exposition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    public static string Export(NetworkHealthSummary summary, HealthExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return format switch
        {
            HealthExportFormat.Json => JsonSerializer.Serialize(HealthJsonMapper.ToJson(summary), HealthJsonContext.Default.NetworkHealthJson),
            HealthExportFormat.Prometheus => ToPrometheusText(summary),
            _ => throw UnknownFormat(format),
        };
    }

    /// <summary>Writes <paramref name="summary"/> to <paramref name="destination"/> as UTF-8 (no byte order mark), leaving it open.</summary>
    /// <param name="summary">The health to export.</param>
    /// <param name="format">The text format.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when everything is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    public static Task ExportAsync(
        NetworkHealthSummary summary, HealthExportFormat format, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(destination);

        // Not async itself, so that bad arguments throw at the call rather than from the awaited task.
        return format switch
        {
            HealthExportFormat.Json => JsonSerializer.SerializeAsync(
                destination, HealthJsonMapper.ToJson(summary), HealthJsonContext.Default.NetworkHealthJson, cancellationToken),
            HealthExportFormat.Prometheus => destination.WriteAsync(Encoding.UTF8.GetBytes(ToPrometheusText(summary)), cancellationToken).AsTask(),
            _ => throw UnknownFormat(format),
        };
    }

    private static string ToPrometheusText(NetworkHealthSummary summary)
    {
        var writer = new PrometheusTextWriter();
        PrometheusNetworkMetrics.Write(writer, summary);
        PrometheusConnectionMetrics.Write(writer, summary.Peers.SelectMany(peer => peer.Connections).ToArray());
        return writer.ToString();
    }

    private static ArgumentOutOfRangeException UnknownFormat(HealthExportFormat format) =>
        new(nameof(format), format, $"Unknown health export format {format}; expected Json or Prometheus.");
}

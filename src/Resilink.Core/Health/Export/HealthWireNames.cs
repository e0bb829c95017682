using System.Text.Json;

namespace Resilink.Health;

/// <summary>
/// How enum values are spelled in exports, in one place. A status in JSON is its <see cref="HealthStatus"/> name
/// (<c>Healthy</c>), as the dashboard, the CLI's <c>--json</c> and the history store spell it; a Prometheus label value is
/// its lower case (<c>healthy</c>), the metric label convention the <c>Resilink</c> meter's tags and the Grafana
/// dashboard use too. Event kinds are camelCase (<c>statusChanged</c>).
/// </summary>
internal static class HealthWireNames
{
    /// <summary>Gets the JSON name of <paramref name="status"/>: its enum name.</summary>
    public static string Of(HealthStatus status) => status.ToString();

    /// <summary>Gets the Prometheus label value of <paramref name="status"/>.</summary>
    public static string Label(HealthStatus status) => CamelCase(status.ToString());

    /// <summary>Gets the export name of <paramref name="kind"/>.</summary>
    public static string Of(ConnectionEventKind kind) => CamelCase(kind.ToString());

    /// <summary>
    /// Lists every defined status, plus any other key of <paramref name="counts"/>, in enum order, with its count (0 if absent).
    /// </summary>
    /// <remarks>Exporting zeros too keeps the set of series stable from one export to the next.</remarks>
    public static IEnumerable<KeyValuePair<HealthStatus, int>> EveryStatus(IReadOnlyDictionary<HealthStatus, int> counts) =>
        Enum.GetValues<HealthStatus>()
            .Union(counts.Keys)
            .Order()
            .Select(status => KeyValuePair.Create(status, counts.GetValueOrDefault(status)));

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}

using System.Text.Json;

namespace Resilink.Health;

/// <summary>
/// How enum values are spelled in exports: camelCase of the C# name (<c>healthy</c>, <c>statusChanged</c>).
/// One place, so that a status reads the same in a JSON document and in a Prometheus label.
/// </summary>
internal static class HealthWireNames
{
    /// <summary>Gets the export name of <paramref name="status"/>.</summary>
    public static string Of(HealthStatus status) => CamelCase(status.ToString());

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

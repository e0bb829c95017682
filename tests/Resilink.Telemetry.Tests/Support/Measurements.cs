using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Resilink.Telemetry.Tests.Support;

/// <summary>Sums and lookups over what a <see cref="MetricCollector{T}"/> collected.</summary>
internal static class Measurements
{
    /// <summary>Sums the measurements whose tags are exactly <paramref name="tags"/> (name, value pairs).</summary>
    public static long Sum(this MetricCollector<long> collector, params (string Name, string Value)[] tags) =>
        collector.GetMeasurementSnapshot().Where(m => Matches(m.Tags, tags)).Sum(m => m.Value);

    /// <summary>Gets the values of the measurements whose tags are exactly <paramref name="tags"/>.</summary>
    public static IReadOnlyList<T> Values<T>(this MetricCollector<T> collector, params (string Name, string Value)[] tags)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Where(m => Matches(m.Tags, tags)).Select(m => m.Value)];

    /// <summary>Gets each distinct value of tag <paramref name="name"/>, with the sum of its measurements.</summary>
    public static IReadOnlyDictionary<string, long> SumBy(this MetricCollector<long> collector, string name) =>
        collector.GetMeasurementSnapshot()
            .GroupBy(m => m.Tags.TryGetValue(name, out object? v) ? v as string ?? "<null>" : "<missing>")
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));

    private static bool Matches(IReadOnlyDictionary<string, object?> actual, (string Name, string Value)[] expected) =>
        actual.Count == expected.Length
        && expected.All(t => actual.TryGetValue(t.Name, out object? v) && Equals(v, t.Value));
}

using System.Globalization;

namespace Resilink.E2e.Scenarios.Health;

/// <summary>Percentiles of a set of latency samples in milliseconds (nearest rank: the smallest sample with at least p of them at or below it).</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double P999, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, At(0.50), At(0.99), At(0.999), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50,8:0.000}  p99 {P99,8:0.000}  p999 {P999,8:0.000}  max {Max,8:0.0} ms");
}

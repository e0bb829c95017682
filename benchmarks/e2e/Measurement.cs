using System.Globalization;

namespace Resilink.E2e;

/// <summary>One line of the benchmark report.</summary>
internal sealed record Measurement(string Name, double MibPerSecond, double? PingP50Ms = null, double? PingP99Ms = null, string? Note = null)
{
    public static double Rate(long bytes, TimeSpan elapsed) => bytes / (1024.0 * 1024.0) / elapsed.TotalSeconds;

    public static (double P50, double P99) Percentiles(List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Floor(p / 100 * samples.Count))];
        return (At(50), At(99));
    }

    /// <summary>The median of each figure over repeated rounds of one scenario, and the throughput's min-max.</summary>
    public static (Measurement Median, string Spread) Median(IEnumerable<Measurement> rounds)
    {
        var all = rounds.ToList();
        static double? Mid(IEnumerable<double?> values)
        {
            var sorted = values.OfType<double>().Order().ToList();
            return sorted.Count == 0 ? null : sorted[sorted.Count / 2];
        }
        var throughput = all.Select(m => m.MibPerSecond).Order().ToList();
        var median = new Measurement(all[0].Name, throughput[throughput.Count / 2], Mid(all.Select(m => m.PingP50Ms)), Mid(all.Select(m => m.PingP99Ms)), all[0].Note);
        return (median, string.Create(CultureInfo.InvariantCulture, $"{throughput[0]:0}-{throughput[^1]:0}"));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-44} {MibPerSecond,10:0.0} MiB/s  ping p50 {Format(PingP50Ms)} ms  p99 {Format(PingP99Ms)} ms  {Note}");

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7) : "      -";
}

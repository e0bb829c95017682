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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-44} {MibPerSecond,10:0.0} MiB/s  ping p50 {Format(PingP50Ms)} ms  p99 {Format(PingP99Ms)} ms  {Note}");

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(7) : "      -";
}

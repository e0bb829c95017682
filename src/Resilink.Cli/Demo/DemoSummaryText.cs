using System.Globalization;

namespace Resilink.Cli.Demo;

/// <summary>The end-of-run summary for people: requests, per-strategy latency, each fault with its detection time.</summary>
internal static class DemoSummaryText
{
    /// <summary>Writes <paramref name="summary"/> to <paramref name="output"/>.</summary>
    public static void Write(DemoSummary summary, TextWriter output)
    {
        var r = summary.Requests;
        output.WriteLine();
        output.WriteLine(Text($"=== resilink demo: {summary.Peers} hosts, {summary.ElapsedSeconds:0.0} s{(summary.Interrupted ? " (interrupted)" : "")}, seed {summary.Seed} ==="));
        output.WriteLine(Text($"requests     {r.Total} sent, {r.Succeeded} ok, {r.Failed} failed: {r.FailedOnHealthyConnections} on healthy connections, {r.FailedOnFaultedConnections} on faulted ones"));
        foreach (var sample in r.HealthyFailureSamples)
        {
            output.WriteLine($"  failed on a healthy connection: {sample}");
        }
        output.WriteLine("strategy           hosts      requests  failed    p50 ms    p99 ms");
        foreach (var s in summary.Strategies)
        {
            output.WriteLine(Text($"{s.Strategy,-18} {string.Join(',', s.Hosts),-10} {s.Requests,8} {s.Failed,7} {Ms(s.P50Ms),9} {Ms(s.P99Ms),9}"));
        }
        output.WriteLine("  (p50/p99 of successful requests only; failed ones are in 'failed')");
        output.WriteLine(Text($"faults       {summary.FaultsInjected} injected, {summary.ConnectionsReplaced} connections replaced"));
        foreach (var f in summary.Faults)
        {
            var detected = f.Skipped is not null ? $"skipped: {f.Skipped}"
                : f.DetectionSeconds is { } d ? Text($"detected as {f.DetectedAs} after {d:0.00} s")
                : "not detected";
            var replaced = f.ReplacedAtSeconds is { } at ? Text($", replaced at {at:0.0}s") : "";
            output.WriteLine(Text($"  {f.InjectedAtSeconds,5:0.0}s  {f.Kind,-10} {f.Connection,-12} {detected}{replaced}"));
        }
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

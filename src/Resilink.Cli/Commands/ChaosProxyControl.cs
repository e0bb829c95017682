using System.Globalization;
using Resilink.Net.Chaos;

namespace Resilink.Cli.Commands;

/// <summary>
/// The run-time control of <c>resilink chaos-proxy</c>: one command per input line, one answer line each
/// (<c>ok …</c> with the new profile, or <c>error …</c>); a bad line changes nothing.
/// </summary>
internal static class ChaosProxyControl
{
    /// <summary>Reads commands until <paramref name="input"/> ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(FaultInjectingProxy proxy, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            await output.WriteLineAsync(Apply(proxy, line));
            await output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Applies one command line to <paramref name="proxy"/> and returns the answer line.</summary>
    public static string Apply(FaultInjectingProxy proxy, string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var current = proxy.Defaults;
        string? argument = words.Length > 1 ? words[1] : null;
        FaultProfile? next;
        switch (words[0].ToLowerInvariant())
        {
            case "latency" when Milliseconds(argument) is { } ms:
                next = current with { Latency = ms };
                break;
            case "jitter" when Milliseconds(argument) is { } ms:
                next = current with { Jitter = ms };
                break;
            case "loss" when Number(argument) is { } share && share is >= 0 and <= 1:
                next = current with { DropRate = share };
                break;
            case "bandwidth" when argument is "off":
                next = current with { BandwidthBytesPerSecond = null };
                break;
            case "bandwidth" when Number(argument) is { } rate && rate is >= 1 and <= long.MaxValue:
                next = current with { BandwidthBytesPerSecond = (long)rate };
                break;
            case "blackhole" when argument is "on" or "off":
                next = current with { BlackHole = argument == "on" };
                break;
            case "reset":
                proxy.ResetAll();
                return "ok reset every open connection";
            case "status":
                return $"ok {proxy.Connections.Count} open; {ChaosProxyCommand.Describe(current)}";
            case "help":
                return "ok commands: latency <ms> | jitter <ms> | loss <0..1> | bandwidth <bytes/s|off> | blackhole on|off | reset | status";
            default:
                return $"error '{line.Trim()}': expected latency <ms>, jitter <ms>, loss <0..1>, bandwidth <bytes/s|off>, blackhole on|off, reset, status or help";
        }
        proxy.SetDefaults(next);
        return $"ok {ChaosProxyCommand.Describe(next)}";
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static TimeSpan? Milliseconds(string? text) =>
        Number(text) is { } ms && ms is >= 0 and <= 600_000 ? TimeSpan.FromMilliseconds(ms) : null;
}

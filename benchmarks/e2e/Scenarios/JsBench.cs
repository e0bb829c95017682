using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Resilink.Interop.Tests.Support;

namespace Resilink.E2e.Scenarios;

/// <summary>(c) js-libp2p to js-libp2p, measured by interop/js/bench.mjs in its own process.</summary>
internal static class JsBench
{
    public static async Task<Measurement> RunAsync(long bytes, int pings, CancellationToken cancellationToken)
    {
        await JsPeer.EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = JsPeer.JsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--import", "./polyfill.mjs", "bench.mjs",
                     (bytes / (1024.0 * 1024.0)).ToString(CultureInfo.InvariantCulture), pings.ToString(CultureInfo.InvariantCulture),
                     (ResilinkScenarios.WarmupBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench.mjs exited with {process.ExitCode}: {await stderr}");
        }
        var line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Measurement(
            "(c) js-libp2p -> js-libp2p",
            root.GetProperty("mibps").GetDouble(),
            root.GetProperty("pingP50Ms").GetDouble(),
            root.GetProperty("pingP99Ms").GetDouble(),
            "node " + root.GetProperty("node").GetString());
    }
}

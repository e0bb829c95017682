using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink chaos-proxy</c>: a fault-injecting TCP proxy between any two endpoints, its faults changeable at run time
/// by commands on standard input.
/// </summary>
internal static class ChaosProxyCommand
{
    private const string Help = """
        A fault-injecting TCP proxy: every connection accepted on --listen is forwarded to --target with the faults
        given. Latency and jitter apply in each direction. Faults change at run time by lines on standard input:
          latency <ms> | jitter <ms> | loss <0..1> | bandwidth <bytes/s|off> | blackhole on|off | reset | status | help
        (the new profile applies to open connections at once and to new ones).

        Examples:
          resilink chaos-proxy --target 127.0.0.1:6379 --listen 127.0.0.1:16379 --latency 100
          resilink chaos-proxy --target /ip4/127.0.0.1/tcp/4001 --loss 0.01 --blackhole-after 30
        """;

    public static Command Create()
    {
        var target = new Option<string>("--target", "-t") { Description = "Where to forward: host:port or /ip4|ip6|dns/…/tcp/… multiaddr.", Required = true };
        var listen = new Option<string>("--listen", "-l") { Description = "Where to listen: host:port.", DefaultValueFactory = _ => "127.0.0.1:0" };
        var latency = new Option<double>("--latency") { Description = "Milliseconds added in each direction." };
        var jitter = new Option<double>("--jitter") { Description = "Up to this many milliseconds more or less, per chunk." };
        var loss = new Option<double>("--loss") { Description = "Share of chunks dropped, 0 to 1 (the stream then breaks, as TCP would not)." };
        var bandwidth = new Option<long?>("--bandwidth") { Description = "Bytes per second in each direction." };
        var resetAfter = new Option<double?>("--reset-after") { Description = "Reset each connection this many seconds after it opens." };
        var blackholeAfter = new Option<double?>("--blackhole-after") { Description = "Black-hole every connection (and new ones) this many seconds after start." };
        latency.Validators.Add(r => Range(r, "--latency", 0, 600_000));
        jitter.Validators.Add(r => Range(r, "--jitter", 0, 600_000));
        loss.Validators.Add(r => Range(r, "--loss", 0, 1));
        bandwidth.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long?>() is { } b && b <= 0)
            {
                r.AddError($"--bandwidth must be a positive number of bytes per second (was {b}).");
            }
        });
        resetAfter.Validators.Add(r => CommonOptions.RequirePositiveSeconds(r, "--reset-after"));
        blackholeAfter.Validators.Add(r => CommonOptions.RequirePositiveSeconds(r, "--blackhole-after"));
        var verbose = CommonOptions.Verbose();
        var command = new Command("chaos-proxy", Help)
        {
            target, listen, latency, jitter, loss, bandwidth, resetAfter, blackholeAfter, verbose,
        };
        command.SetAction((parse, ct) =>
        {
            var faults = new FaultProfile
            {
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                Jitter = TimeSpan.FromMilliseconds(parse.GetValue(jitter)),
                DropRate = parse.GetValue(loss),
                BandwidthBytesPerSecond = parse.GetValue(bandwidth),
                ResetAfter = parse.GetValue(resetAfter) is { } r ? TimeSpan.FromSeconds(r) : null,
            };
            var blackhole = parse.GetValue(blackholeAfter) is { } b ? TimeSpan.FromSeconds(b) : (TimeSpan?)null;
            return RunAsync(parse.GetRequiredValue(target), parse.GetRequiredValue(listen), faults, blackhole, parse.GetValue(verbose), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string targetText, string listenText, FaultProfile faults, TimeSpan? blackholeAfter, bool verbose, CancellationToken cancellationToken)
    {
        if (!TryParseTarget(targetText, out var target))
        {
            await Console.Error.WriteLineAsync($"resilink chaos-proxy: --target '{targetText}' is neither host:port nor a TCP multiaddr.");
            return 2;
        }
        if (!IPEndPoint.TryParse(listenText, out var listen) || listenText.IndexOf(':', StringComparison.Ordinal) < 0)
        {
            await Console.Error.WriteLineAsync($"resilink chaos-proxy: --listen '{listenText}' is not an IP address and port (e.g. 127.0.0.1:16379).");
            return 2;
        }

        using var logging = CliLogging.Create(verbose);
        await using var proxy = await FaultInjectingProxy.StartAsync(
            target, faults, listen, logger: logging.CreateLogger("Resilink.ChaosProxy"), ct: cancellationToken);
        Console.WriteLine($"listening on {proxy.ListenEndPoint} -> {target}");
        Console.WriteLine($"faults {Describe(proxy.Defaults)}");
        using var blackhole = blackholeAfter is { } after
            ? new Timer(_ => { proxy.BlackHoleAll(); Console.WriteLine("black hole on (--blackhole-after)"); }, null, after, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            await ChaosProxyControl.RunAsync(proxy, Console.In, Console.Out, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken); // standard input closed: keep proxying until Ctrl+C
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("shutting down");
        }
        return 0;
    }

    internal static string Describe(FaultProfile f) => string.Create(
        CultureInfo.InvariantCulture,
        $"latency={f.Latency.TotalMilliseconds:0.###}ms jitter={f.Jitter.TotalMilliseconds:0.###}ms loss={f.DropRate:0.####} bandwidth={(f.BandwidthBytesPerSecond is { } b ? b.ToString(CultureInfo.InvariantCulture) + "B/s" : "off")} blackhole={(f.BlackHole ? "on" : "off")}");

    private static bool TryParseTarget(string text, out EndPoint target)
    {
        if (text.StartsWith('/') && Multiaddr.TryParse(text, out var address) && address is not null && address.TryGetTcpEndPoint(out var tcp))
        {
            target = tcp;
            return true;
        }
        int colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            var host = text[..colon].Trim('[', ']');
            target = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            return true;
        }
        target = null!;
        return false;
    }

    private static void Range(OptionResult result, string name, double min, double max)
    {
        var value = result.GetValueOrDefault<double>();
        if (!double.IsFinite(value) || value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (was {value})."));
        }
    }
}

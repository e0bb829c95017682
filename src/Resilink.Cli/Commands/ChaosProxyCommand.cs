using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
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
        var target = new Option<EndPoint>("--target", "-t") { Description = "Where to forward: host:port or /ip4|ip6|dns/…/tcp/… multiaddr.", Required = true }
            .ParsedBy<EndPoint>(TryParseTarget, text => $"--target '{text}' is neither host:port nor a TCP multiaddr.");
        var listen = new Option<IPEndPoint>("--listen", "-l") { Description = "Where to listen: host:port.", DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 0) }
            .ParsedBy<IPEndPoint>(TryParseListen, text => $"--listen '{text}' is not an IP address and port (e.g. 127.0.0.1:16379).");
        var milliseconds = NumberRange<double>.Between(0, 600_000, " ms");
        var seconds = NumberRange<double>.AboveZero(CommonOptions.MaxSeconds, " seconds");
        var latency = CommonOptions.Number("--latency", [], "Milliseconds added in each direction.", milliseconds, 0.0);
        var jitter = CommonOptions.Number("--jitter", [], "Up to this many milliseconds more or less, per chunk.", milliseconds, 0.0);
        var loss = CommonOptions.Number("--loss", [], "Share of chunks dropped, 0 to 1 (the stream then breaks, as TCP would not).", NumberRange<double>.Between(0, 1), 0.0);
        var bandwidth = CommonOptions.OptionalNumber("--bandwidth", [], "Bytes per second in each direction.", NumberRange<long>.AboveZero(long.MaxValue, " bytes per second"));
        var resetAfter = CommonOptions.OptionalNumber("--reset-after", [], "Reset each connection this many seconds after it opens.", seconds);
        var blackholeAfter = CommonOptions.OptionalNumber("--blackhole-after", [], "Black-hole every connection (and new ones) this many seconds after start.", seconds);
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
        EndPoint target, IPEndPoint listen, FaultProfile faults, TimeSpan? blackholeAfter, bool verbose, CancellationToken cancellationToken)
    {
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

    private static bool TryParseListen(string text, [NotNullWhen(true)] out IPEndPoint? listen) =>
        IPEndPoint.TryParse(text, out listen) && text.Contains(':', StringComparison.Ordinal);

    private static bool TryParseTarget(string text, [NotNullWhen(true)] out EndPoint? target)
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
        target = null;
        return false;
    }
}

using System.CommandLine;
using System.Globalization;
using Resilink.Cli.Json;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Cli.Commands;

/// <summary><c>resilink ping &lt;multiaddr&gt;</c>: ping(8) for libp2p peers.</summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var address = CommonOptions.MultiaddrArgument("multiaddr", "The peer to ping, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...");
        var count = CommonOptions.Number("--count", ["-c"], "Stop after this many pings (0 = until Ctrl+C).", NumberRange<int>.Between(0, int.MaxValue), 5);
        var interval = CommonOptions.Number("--interval", ["-i"], "Seconds between pings.", NumberRange<double>.AboveZero(CommonOptions.MaxSeconds, " seconds"), 1.0);
        var timeout = CommonOptions.Number("--timeout", ["-W"], "Seconds to wait for each reply.", NumberRange<double>.AboveZero(CommonOptions.MaxSeconds, " seconds"), 5.0);
        var json = CommonOptions.Json();
        var identityFile = IdentityOption.Create();
        var verbose = CommonOptions.Verbose();
        var command = new Command(
            "ping",
            "Ping a libp2p peer over /ipfs/ping/1.0.0 and print round-trip times.\n\nExamples:\n  resilink ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... -c 3\n" +
            "  resilink ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... -c 3 --json")
        {
            address, count, interval, timeout, json, verbose, identityFile,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(address),
            parse.GetValue(count),
            TimeSpan.FromSeconds(parse.GetValue(interval)),
            TimeSpan.FromSeconds(parse.GetValue(timeout)),
            CliOutput.Of(parse, parse.GetValue(json)),
            parse.GetValue(verbose),
            parse.GetValue(identityFile),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        Multiaddr address, int count, TimeSpan interval, TimeSpan replyTimeout, CliOutput output, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        var (text, json) = (output.Text, output.Json);
        using var logging = CliLogging.Create(verbose);
        using var identity = IdentityOption.Load(identityFile, logging);
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity }, logging);
        var rtts = new List<double>();
        var peer = address.PeerIdText ?? "";
        var sent = 0;
        try
        {
            var connection = await host.DialAsync(address, cancellationToken);
            peer = connection.RemotePeer.ToString();
            text.WriteLine($"PING {address} ({connection.RemotePeer}): {Net.Protocols.Ping.PingProtocol.PayloadSize} data bytes");
            for (var seq = 1; count == 0 || seq <= count; seq++)
            {
                sent++;
                try
                {
                    using var perPing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    perPing.CancelAfter(replyTimeout);
                    var rtt = await host.PingAsync(connection.RemotePeer, perPing.Token);
                    rtts.Add(rtt.TotalMilliseconds);
                    json?.Write(new PongLine(seq, peer, rtt.TotalMilliseconds));
                    text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"32 bytes from {connection.RemotePeer}: seq={seq} time={rtt.TotalMilliseconds:0.000} ms"));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Lost(seq, string.Create(CultureInfo.InvariantCulture, $"no reply within {replyTimeout.TotalSeconds:0.###} s"));
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException)
                {
                    Lost(seq, ex.Message);
                }
                if (count == 0 || seq < count)
                {
                    await Task.Delay(interval, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: print the statistics like ping(8).
        }
        // A failure to connect (refused, unreachable, wrong peer ID) reaches the CLI's one error line and exit code 1.

        var summary = Summarize(peer, address, sent, rtts);
        json?.Write(summary);
        PrintStatistics(text, summary);
        if (rtts.Count > 0)
        {
            return 0;
        }
        if (sent > 0)
        {
            await output.Error.WriteLineAsync($"resilink ping: no reply from {address}.");
        }
        return 1;

        void Lost(int seq, string error)
        {
            json?.Write(new PingLostLine(seq, peer, error));
            text.WriteLine($"seq={seq}: {error}");
        }
    }

    private static PingSummaryLine Summarize(string peer, Multiaddr address, int sent, List<double> rtts)
    {
        var loss = sent == 0 ? 0 : 100.0 * (sent - rtts.Count) / sent;
        if (rtts.Count == 0)
        {
            return new PingSummaryLine(peer, address.ToString(), sent, 0, loss, null, null, null, null);
        }
        var avg = rtts.Average();
        var mdev = Math.Sqrt(rtts.Average(r => (r - avg) * (r - avg)));
        return new PingSummaryLine(peer, address.ToString(), sent, rtts.Count, loss, rtts.Min(), avg, rtts.Max(), mdev);
    }

    private static void PrintStatistics(TextWriter text, PingSummaryLine s)
    {
        text.WriteLine($"--- {s.Address} ping statistics ---");
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Sent} pings transmitted, {s.Received} received, {s.LossPercent:0.#}% packet loss"));
        if (s.Received > 0)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rtt min/avg/max/mdev = {s.RttMinMs:0.000}/{s.RttAvgMs:0.000}/{s.RttMaxMs:0.000}/{s.RttMdevMs:0.000} ms"));
        }
    }
}

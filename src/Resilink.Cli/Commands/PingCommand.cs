using System.CommandLine;
using System.Globalization;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Cli.Commands;

/// <summary><c>resilink ping &lt;multiaddr&gt;</c>: ping(8) for libp2p peers.</summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var address = CommonOptions.MultiaddrArgument("multiaddr", "The peer to ping, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...");
        var count = new Option<int>("--count", "-c") { Description = "Stop after this many pings (0 = until Ctrl+C).", DefaultValueFactory = _ => 5 };
        var interval = new Option<double>("--interval", "-i") { Description = "Seconds between pings.", DefaultValueFactory = _ => 1.0 };
        var timeout = new Option<double>("--timeout", "-W") { Description = "Seconds to wait for each reply.", DefaultValueFactory = _ => 5.0 };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--count must be 0 (forever) or more.");
            }
        });
        interval.Validators.Add(r => CommonOptions.RequirePositiveSeconds(r, "--interval"));
        timeout.Validators.Add(r => CommonOptions.RequirePositiveSeconds(r, "--timeout"));
        var verbose = CommonOptions.Verbose();
        var identityFile = IdentityOption.Create();
        var command = new Command("ping", "Ping a libp2p peer over /ipfs/ping/1.0.0 and print round-trip times.\n\nExample:\n  resilink ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... -c 3")
        {
            address, count, interval, timeout, verbose, identityFile,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(address),
            parse.GetValue(count),
            TimeSpan.FromSeconds(parse.GetValue(interval)),
            TimeSpan.FromSeconds(parse.GetValue(timeout)),
            parse.GetValue(verbose),
            parse.GetValue(identityFile),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(Multiaddr address, int count, TimeSpan interval, TimeSpan replyTimeout, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        using var logging = CliLogging.Create(verbose);
        if (!IdentityOption.TryLoad(identityFile, "ping", logging, out var identity))
        {
            return 1;
        }
        using var ownedIdentity = identity;
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity }, logging);
        var rtts = new List<double>();
        var sent = 0;
        try
        {
            var connection = await host.DialAsync(address, cancellationToken);
            Console.WriteLine($"PING {address} ({connection.RemotePeer}): {Net.Protocols.Ping.PingProtocol.PayloadSize} data bytes");
            for (var seq = 1; count == 0 || seq <= count; seq++)
            {
                sent++;
                try
                {
                    using var perPing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    perPing.CancelAfter(replyTimeout);
                    var rtt = await host.PingAsync(connection.RemotePeer, perPing.Token);
                    rtts.Add(rtt.TotalMilliseconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"32 bytes from {connection.RemotePeer}: seq={seq} time={rtt.TotalMilliseconds:0.000} ms"));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seq={seq}: no reply within {replyTimeout.TotalSeconds:0.###} s"));
                }
                catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException)
                {
                    Console.WriteLine($"seq={seq}: {ex.Message}");
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
        catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"resilink ping: {ex.Message}");
            return 1;
        }

        PrintStatistics(address, sent, rtts);
        return rtts.Count > 0 ? 0 : 1;
    }

    private static void PrintStatistics(Multiaddr address, int sent, List<double> rtts)
    {
        Console.WriteLine($"--- {address} ping statistics ---");
        var loss = sent == 0 ? 0 : 100.0 * (sent - rtts.Count) / sent;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sent} pings transmitted, {rtts.Count} received, {loss:0.#}% packet loss"));
        if (rtts.Count > 0)
        {
            var avg = rtts.Average();
            var mdev = Math.Sqrt(rtts.Average(r => (r - avg) * (r - avg)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rtt min/avg/max/mdev = {rtts.Min():0.000}/{avg:0.000}/{rtts.Max():0.000}/{mdev:0.000} ms"));
        }
    }
}

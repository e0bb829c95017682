using System.CommandLine;
using System.Globalization;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Protocols.Echo;
using Spectre.Console;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink demo</c>: a local swarm on 127.0.0.1 in one process. Every host dials every other one,
/// then each pair exchanges pings and an echo, and a table shows the results.
/// Later versions add health monitoring and injected faults.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var peers = new Option<int>("--peers", "-n") { Description = "Number of hosts in the local swarm (2-16).", DefaultValueFactory = _ => 4 };
        var pings = new Option<int>("--pings") { Description = "Pings per pair of hosts.", DefaultValueFactory = _ => 10 };
        var verbose = CommonOptions.Verbose();
        var command = new Command("demo", "Start a local libp2p swarm on 127.0.0.1, connect every host to every other and show their pings.\n\nExample:\n  resilink demo --peers 5 --pings 20")
        {
            peers, pings, verbose,
        };
        peers.Validators.Add(result =>
        {
            var n = result.GetValueOrDefault<int>();
            if (n is < 2 or > 16)
            {
                result.AddError($"--peers must be between 2 and 16 (was {n}).");
            }
        });
        pings.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--pings must be at least 1.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(peers), parse.GetValue(pings), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(int peerCount, int pingCount, bool verbose, CancellationToken cancellationToken)
    {
        using var logging = CliLogging.Create(verbose);
        var hosts = new List<Libp2pHost>();
        try
        {
            for (var i = 0; i < peerCount; i++)
            {
                var host = new Libp2pHost(loggerFactory: logging);
                hosts.Add(host);
                await host.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], cancellationToken);
                Console.WriteLine($"host {i}  {host.ListenAddresses[0]}/p2p/{host.PeerId}");
            }

            // Full mesh: host i dials every host j > i.
            var dials = new List<Task>();
            for (var i = 0; i < hosts.Count; i++)
            {
                for (var j = i + 1; j < hosts.Count; j++)
                {
                    var target = hosts[j].ListenAddresses[0].Encapsulate("/p2p/" + hosts[j].PeerId);
                    dials.Add(hosts[i].DialAsync(target, cancellationToken));
                }
            }
            await Task.WhenAll(dials);
            AnsiConsole.MarkupLine($"[green]{dials.Count} connections up[/] (TCP + Noise XX + Yamux)");

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("from", "to", "pings", "p50 ms", "max ms", "echo 64 KiB", "remote agent");
            for (var i = 0; i < hosts.Count; i++)
            {
                for (var j = 0; j < hosts.Count; j++)
                {
                    if (i != j)
                    {
                        var row = await MeasurePairAsync(hosts[i], hosts[j], pingCount, cancellationToken);
                        table.AddRow($"host {i}", $"host {j}", row.Pings, row.P50, row.Max, row.Echo, Markup.Escape(row.Agent));
                    }
                }
            }
            AnsiConsole.Write(table);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]demo failed:[/] {ex.Message}");
            return 1;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<(string Pings, string P50, string Max, string Echo, string Agent)> MeasurePairAsync(
        Libp2pHost from, Libp2pHost to, int pingCount, CancellationToken cancellationToken)
    {
        var rtts = new List<double>();
        for (var k = 0; k < pingCount; k++)
        {
            rtts.Add((await from.PingAsync(to.PeerId, cancellationToken)).TotalMilliseconds);
        }
        rtts.Sort();
        var payload = new byte[64 * 1024];
        Random.Shared.NextBytes(payload);
        var echoed = await EchoProtocol.EchoAsync(from, to.PeerId, payload, cancellationToken);
        var echoOk = payload.AsSpan().SequenceEqual(echoed);
        var identify = await from.IdentifyAsync(to.PeerId, cancellationToken);
        return (
            rtts.Count.ToString(CultureInfo.InvariantCulture),
            rtts[rtts.Count / 2].ToString("0.000", CultureInfo.InvariantCulture),
            rtts[^1].ToString("0.000", CultureInfo.InvariantCulture),
            echoOk ? "[green]ok[/]" : "[red]mismatch[/]",
            identify.AgentVersion);
    }
}

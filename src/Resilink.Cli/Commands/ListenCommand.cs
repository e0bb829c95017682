using System.CommandLine;
using Resilink.Cli.Json;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Cli.Commands;

/// <summary><c>resilink listen</c>: a node that answers ping, identify and echo until Ctrl+C.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var listen = CommonOptions.MultiaddrOption("--listen", "-l", "Address to listen on.", "/ip4/127.0.0.1/tcp/0");
        var json = CommonOptions.Json();
        var identityFile = IdentityOption.Create();
        var verbose = CommonOptions.Verbose();
        var command = new Command(
            "listen",
            "Run a libp2p node that answers /ipfs/ping/1.0.0, /ipfs/id/1.0.0 and /echo/1.0.0.\n\nExamples:\n  resilink listen --listen /ip4/127.0.0.1/tcp/4001\n" +
            "  resilink listen --json | jq -c 'select(.type == \"connected\")'")
        {
            listen, json, verbose, identityFile,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(listen), CliOutput.Of(parse, parse.GetValue(json)), parse.GetValue(verbose), parse.GetValue(identityFile), ct));
        return command;
    }

    private static async Task<int> RunAsync(Multiaddr listenAddress, CliOutput output, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        using var logging = CliLogging.Create(verbose);
        using var identity = IdentityOption.Load(identityFile, logging);
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity }, logging);
        var (text, json) = (output.Text, output.Json);
        host.ConnectionOpened += (_, e) =>
        {
            json?.Write(new ConnectedLine(e.Connection.RemotePeer.ToString(), e.Connection.Id, e.Connection.RemoteAddress.ToString(), DateTimeOffset.UtcNow));
            text.WriteLine($"connected    {e.Connection.RemotePeer} {e.Connection.RemoteAddress}");
        };
        host.ConnectionClosed += (_, e) =>
        {
            json?.Write(new DisconnectedLine(e.Connection.RemotePeer.ToString(), e.Connection.Id, e.Connection.CloseReason?.Message, DateTimeOffset.UtcNow));
            text.WriteLine($"disconnected {e.Connection.RemotePeer}");
        };
        // A port in use or an address this node cannot listen on fails here: the CLI's one error line, exit code 1.
        await host.StartAsync([listenAddress], cancellationToken);
        var addresses = host.ListenAddresses.Select(a => a.Encapsulate("/p2p/" + host.PeerId).ToString()).ToArray();
        json?.Write(new ListeningLine(host.PeerId.ToString(), addresses, [.. host.Protocols]));
        text.WriteLine($"peer id {host.PeerId}");
        foreach (var address in addresses)
        {
            text.WriteLine($"listening on {address}");
        }
        text.WriteLine($"protocols {string.Join(' ', host.Protocols)}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            text.WriteLine("shutting down");
        }
        return 0;
    }
}

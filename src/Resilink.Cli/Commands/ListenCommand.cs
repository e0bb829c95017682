using System.CommandLine;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Cli.Commands;

/// <summary><c>resilink listen</c>: a node that answers ping, identify and echo until Ctrl+C.</summary>
internal static class ListenCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Address to listen on.",
            DefaultValueFactory = _ => "/ip4/127.0.0.1/tcp/0",
        };
        var verbose = CommonOptions.Verbose();
        var identityFile = IdentityOption.Create();
        var command = new Command("listen", "Run a libp2p node that answers /ipfs/ping/1.0.0, /ipfs/id/1.0.0 and /echo/1.0.0.\n\nExample:\n  resilink listen --listen /ip4/127.0.0.1/tcp/4001")
        {
            listen, verbose, identityFile,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetRequiredValue(listen), parse.GetValue(verbose), parse.GetValue(identityFile), ct));
        return command;
    }

    private static async Task<int> RunAsync(string listenText, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        if (!Multiaddr.TryParse(listenText, out var listenAddress) || listenAddress is null)
        {
            await Console.Error.WriteLineAsync($"resilink listen: '{listenText}' is not a valid multiaddr.");
            return 2;
        }
        using var logging = CliLogging.Create(verbose);
        if (!IdentityOption.TryLoad(identityFile, "listen", logging, out var identity))
        {
            return 1;
        }
        using var ownedIdentity = identity;
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity }, logging);
        host.ConnectionOpened += (_, e) => Console.WriteLine($"connected    {e.Connection.RemotePeer} {e.Connection.RemoteAddress}");
        host.ConnectionClosed += (_, e) => Console.WriteLine($"disconnected {e.Connection.RemotePeer}");
        await host.StartAsync([listenAddress], cancellationToken);
        Console.WriteLine($"peer id {host.PeerId}");
        foreach (var address in host.ListenAddresses)
        {
            Console.WriteLine($"listening on {address.Encapsulate("/p2p/" + host.PeerId)}");
        }
        Console.WriteLine($"protocols {string.Join(' ', host.Protocols)}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("shutting down");
        }
        return 0;
    }
}

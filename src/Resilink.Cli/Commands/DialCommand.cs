using System.CommandLine;
using System.Globalization;
using Resilink.Cli.Json;
using Resilink.Net.Addressing;
using Resilink.Net.Host;

namespace Resilink.Cli.Commands;

/// <summary><c>resilink dial &lt;multiaddr&gt;</c>: connect once, show what the peer says about itself, and exit.</summary>
internal static class DialCommand
{
    public static Command Create()
    {
        var address = CommonOptions.MultiaddrArgument("multiaddr", "The peer to dial, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...");
        var timeout = CommonOptions.Number(
            "--timeout", ["-W"], "Seconds to wait for the connection and the peer's identify answer.", NumberRange<double>.AboveZero(CommonOptions.MaxSeconds, " seconds"), 10.0);
        var json = CommonOptions.Json();
        var identityFile = IdentityOption.Create();
        var verbose = CommonOptions.Verbose();
        var command = new Command(
            "dial",
            "Dial a libp2p peer (TCP, Noise, Yamux), check its peer ID, print its identify answer (agent, protocols, listen addresses) and the connection's round trip, then hang up.\n\n" +
            "Examples:\n  resilink dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...\n  resilink dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --json | jq .protocols")
        {
            address, timeout, json, verbose, identityFile,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(address), TimeSpan.FromSeconds(parse.GetValue(timeout)), CliOutput.Of(parse, parse.GetValue(json)), parse.GetValue(verbose), parse.GetValue(identityFile), ct));
        return command;
    }

    private static async Task<int> RunAsync(Multiaddr address, TimeSpan timeout, CliOutput output, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        using var logging = CliLogging.Create(verbose);
        using var identity = IdentityOption.Load(identityFile, logging);
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity }, logging);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var connection = await host.DialAsync(address, deadline.Token);
            var identify = await host.IdentifyAsync(connection.RemotePeer, deadline.Token);
            var rtt = await host.PingAsync(connection.RemotePeer, deadline.Token);
            if (output.Json is { } json)
            {
                json.Write(new IdentifyLine(
                    connection.RemotePeer.ToString(),
                    connection.Id,
                    connection.RemoteAddress.ToString(),
                    identify.AgentVersion,
                    identify.ProtocolVersion,
                    identify.Protocols,
                    [.. identify.ListenAddresses.Select(a => a.ToString())],
                    identify.ObservedAddress?.ToString(),
                    rtt.TotalMilliseconds));
                return 0;
            }
            output.Out.WriteLine($"connected    {connection.RemotePeer} at {connection.RemoteAddress} ({connection.Id}, noise + yamux)");
            output.Out.WriteLine($"agent        {identify.AgentVersion} ({identify.ProtocolVersion})");
            output.Out.WriteLine($"protocols    {string.Join(' ', identify.Protocols)}");
            foreach (var listen in identify.ListenAddresses)
            {
                output.Out.WriteLine($"listens on   {listen}");
            }
            if (identify.ObservedAddress is { } observed)
            {
                output.Out.WriteLine($"sees us at   {observed}");
            }
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round trip   {rtt.TotalMilliseconds:0.000} ms"));
            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await output.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"resilink dial: no connection and identify answer from {address} within {timeout.TotalSeconds:0.###} s."));
            return 1;
        }
        // Any other failure (refused, unreachable, wrong peer ID) names the address itself and reaches the CLI's one error line.
    }
}

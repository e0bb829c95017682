using System.CommandLine;
using System.Globalization;
using Resilink.Cli.Json;
using Resilink.Cli.Live;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink watch &lt;multiaddr&gt;</c>: open several connections to one peer with health monitoring on and show
/// their health live (the demo's table; plain lines when stdout is not a terminal) until Ctrl+C or <c>--duration</c>.
/// Sick connections are replaced as in any Resilink host, and the peer is re-dialed if every connection drops.
/// </summary>
internal static class WatchCommand
{
    /// <summary>The shortest --interval and --ping-timeout: 1 ms, the finest period a timer takes.</summary>
    private const double MinSeconds = 0.001;

    private const string Help = """
        Connect to a libp2p peer with several connections, health monitoring on, and show each connection's status,
        health score, ping RTT p50/p95, streams and bytes/s, refreshed every --interval, with recent events (status
        changes, connections opened and closed). Sick connections are replaced by themselves. Plain lines instead of
        the table when stdout is not a terminal. Runs until Ctrl+C, or for --duration seconds.

        Examples:
          resilink watch /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...
          resilink watch /ip4/10.0.0.7/tcp/4001/p2p/12D3KooW... --connections 5 --interval 2 --ping-timeout 5
          resilink watch /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --duration 30 | tee health.log
        """;

    public static Command Create()
    {
        var address = CommonOptions.MultiaddrArgument("multiaddr", "The peer to watch, ending in /p2p/<peer id>.", requirePeerId: true);
        var connections = CommonOptions.Number("--connections", ["-c"], "Connections to keep to the peer (1 to 16).", NumberRange<int>.Between(1, 16), 3);
        // Both become timer periods / timeouts; below 1 ms PeriodicTimer throws, and such a ping could never succeed.
        var period = NumberRange<double>.Between(MinSeconds, CommonOptions.MaxSeconds, " seconds");
        var interval = CommonOptions.Number("--interval", ["-i"], "Seconds between health pings of each connection, and between refreshes.", period, 1.0);
        var pingTimeout = CommonOptions.Number("--ping-timeout", [], "Seconds a health ping may take before it counts as failed.", period, 2.0);
        var duration = CommonOptions.OptionalNumber(
            "--duration", ["-d"], "Stop after this many seconds (default: until Ctrl+C).", NumberRange<double>.AboveZero(CommonOptions.MaxSeconds, " seconds"));
        var json = CommonOptions.Json();
        var identityFile = IdentityOption.Create();
        var verbose = CommonOptions.Verbose();
        var command = new Command("watch", Help) { address, connections, interval, pingTimeout, duration, json, verbose, identityFile };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(address),
            parse.GetValue(connections),
            TimeSpan.FromSeconds(parse.GetValue(interval)),
            TimeSpan.FromSeconds(parse.GetValue(pingTimeout)),
            parse.GetValue(duration) is { } d ? TimeSpan.FromSeconds(d) : null,
            CliOutput.Of(parse, parse.GetValue(json)),
            parse.GetValue(verbose),
            parse.GetValue(identityFile),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        Multiaddr address, int connectionCount, TimeSpan interval, TimeSpan pingTimeout, TimeSpan? duration, CliOutput output, bool verbose, string? identityFile, CancellationToken cancellationToken)
    {
        var json = output.Json;
        var peer = PeerId.FromBytes(address.PeerIdBytes!.Value.Span); // the argument's parser requires /p2p/<peer id>
        using var logging = CliLogging.Create(verbose);
        using var identity = IdentityOption.Load(identityFile, logging);
        var options = ConnectionProfiles.Development();
        options.Identity = identity;
        options.Connections.MaxConnectionsPerPeer = connectionCount;
        options.Health.HealthCheckInterval = interval;
        options.Health.PingTimeout = pingTimeout;
        await using var host = new Libp2pHost(options, logging);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var events = new Demo.DemoEvents();
        if (json is not null)
        {
            // Statuses spelled as everywhere else: the HealthStatus name, as the dashboard's status event and /health.
            host.HealthStatusChanged += (_, e) => json.Write(new StatusChangeLine(
                e.ConnectionId, e.PeerKey, e.Previous.ToString(), e.Current.ToString(), e.Score, e.Reason, e.Timestamp));
            host.ConnectionOpened += (_, e) => json.Write(new ConnectedLine(
                e.Connection.RemotePeer.ToString(), e.Connection.Id, e.Connection.RemoteAddress.ToString(), DateTimeOffset.UtcNow));
            host.ConnectionClosed += (_, e) => json.Write(new DisconnectedLine(
                e.Connection.RemotePeer.ToString(), e.Connection.Id, e.Connection.CloseReason?.Message, DateTimeOffset.UtcNow));
        }
        host.HealthStatusChanged += (_, e) => events.Add(started.Elapsed, e.Current.ToString(), $"{e.ConnectionId} (was {e.Previous}; {e.Reason})");
        host.ConnectionOpened += (_, e) => events.Add(started.Elapsed, "opened", $"{e.Connection.Id} {e.Connection.RemoteAddress}");
        host.ConnectionClosed += (_, e) => events.Add(started.Elapsed, "closed", $"{e.Connection.Id}{(e.Connection.CloseReason is { } why ? ": " + why.Message : "")}");
        try
        {
            var open = await host.DialPeerAsync(address, cancellationToken);
            host.KeepAlive(peer);
            json?.Write(new WatchingLine(peer.ToString(), address.ToString(), open.Count));
            output.Progress.WriteLine(
                $"watching {peer} at {address.WithoutPeerId()} over {open.Count} connection{(open.Count == 1 ? "" : "s")}; Ctrl+C to stop");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidDataException or System.Net.Sockets.SocketException
            or Resilience.RetryExhaustedException or Resilience.CircuitOpenException)
        {
            await output.Error.WriteLineAsync($"resilink watch: cannot reach {address}: {(ex.InnerException ?? ex).Message}");
            return 1;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            run.CancelAfter(limit);
        }
        var shortPeer = Short(peer.ToString());
        HealthView View()
        {
            var rows = host.GetConnections(peer)
                .Where(c => !c.IsClosed)
                .Select(c => host.HealthMonitor?.Snapshot(c) is { } s ? HealthRow.From(shortPeer, c.Id, s) : null)
                .OfType<HealthRow>()
                .ToList();
            var title = string.Create(CultureInfo.InvariantCulture, $"resilink watch {shortPeer} · {started.Elapsed.TotalSeconds:0} s");
            return new HealthView(title, rows, null, [.. events.Recent(6).Select(e => e.ToString())]);
        }
        var cursor = 0;
        await (json is not null ? JsonHealthReporter.RunAsync(host, peer.ToString(), json, interval, run.Token)
            : !output.IsTerminal
            ? PlainReporter.RunAsync(View, () => [.. events.Since(ref cursor).Select(e => e.ToString())], output.Out, interval, rows: true, run.Token)
            : LiveHealthTable.RunAsync(View, interval, run.Token));
        return 0;
    }

    /// <summary>A peer ID short enough for a table column: its first and last characters.</summary>
    private static string Short(string peerId) => peerId.Length <= 14 ? peerId : $"{peerId[..6]}…{peerId[^6..]}";
}

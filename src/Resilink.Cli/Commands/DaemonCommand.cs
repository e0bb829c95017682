using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilink.Hosting;
using Resilink.Hosting.History;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Cli.Commands;

/// <summary>
/// <c>resilink daemon</c>: a long-running node with health monitoring that keeps its peers connected and serves
/// <c>/metrics</c>, <c>/health</c>, <c>/health/metrics</c>, <c>/healthz</c> and the web dashboard at <c>/</c> over HTTP
/// (127.0.0.1:9464 unless told).
/// </summary>
internal static class DaemonCommand
{
    public static Command Create()
    {
        // Each value is checked when parsed (exit code 2, one line naming the option), so a bad one never reaches RunAsync.
        var listen = new Option<string>("--listen", "-l") { Description = "libp2p address to listen on.", DefaultValueFactory = _ => "/ip4/127.0.0.1/tcp/0" }
            .Checked(text => Multiaddr.TryParse(text, out _) ? null : $"--listen '{text}' is not a valid multiaddr.");
        var http = new Option<string>("--http")
        {
            Description = "HTTP endpoint for /metrics and /health: address:port, the address an IP ([::1] for IPv6) or localhost, port 0 for any free one.",
            DefaultValueFactory = _ => "127.0.0.1:9464",
        }.Checked(text => DaemonArguments.ParseEndPoint(text) is null
            ? $"--http '{text}' is not address:port (e.g. 127.0.0.1:9464, [::1]:9464, localhost:9464; port 0 for any free one)."
            : null);
        var peers = new Option<string[]>("--peer", "-p") { Description = "A peer to keep connected (multiaddr ending in /p2p/<id>); repeatable.", AllowMultipleArgumentsPerToken = true };
        peers.Validators.Add(r =>
        {
            foreach (var text in r.Tokens.Select(t => t.Value).Where(t => !Multiaddr.TryParse(t, out var a) || a.PeerIdBytes is null))
            {
                r.AddError($"--peer '{text}' is not a multiaddr ending in /p2p/<peer id>.");
            }
        });
        var connections = CommonOptions.Number("--connections", ["-c"], "Connections per peer (1 to 16).", NumberRange<int>.Between(1, 16), 3);
        var period = NumberRange<double>.Between(0.001, CommonOptions.MaxSeconds, " seconds"); // a timer's period: 1 ms at least
        var interval = CommonOptions.Number("--health-interval", [], "Seconds between health pings of each connection.", period, 5.0);
        var timeout = CommonOptions.Number("--ping-timeout", [], "Seconds before a health ping counts as failed.", period, 2.0);
        var alertmanager = CommonOptions.HttpUrl("--alertmanager", "Prometheus Alertmanager base URL to post warnings and worse to (e.g. http://127.0.0.1:9093).");
        var webhook = CommonOptions.HttpUrl("--webhook", "URL that receives warnings and worse as JSON POSTs.");
        var dataDir = CommonOptions.Path(
            "--data-dir", CommonOptions.DirectoryHelpName, $"Directory of the health history, history.db (default {HealthHistoryOptions.DefaultDataDirectory}).");
        var noHistory = new Option<bool>("--no-history") { Description = "Keep no health history." };
        var config = CommonOptions.Path(
            "--config",
            CommonOptions.FileHelpName,
            "JSON file of the node's options (its \"Resilink\" section, the keys of AddResilink) and log levels (\"Logging\"); " +
            "options given on the command line win. No other configuration is read (no appsettings.json, no environment).");
        var identityFile = IdentityOption.Create($"Default: {KeyFile.DefaultFileName} in the data directory, so the peer ID survives restarts.");
        var verbose = CommonOptions.Verbose();
        var command = new Command(
            "daemon",
            "Run a node with health monitoring that keeps its peers connected and serves Prometheus metrics and a health summary.\n\n" +
            "Examples:\n  resilink daemon --listen /ip4/127.0.0.1/tcp/4001 --http 127.0.0.1:9464\n" +
            "  resilink daemon --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --connections 3\n" +
            "  resilink daemon --alertmanager http://127.0.0.1:9093\n" +
            "  resilink daemon --config node.json\n" +
            "  curl http://127.0.0.1:9464/metrics")
        {
            listen, http, peers, connections, interval, timeout, alertmanager, webhook, dataDir, noHistory, config, identityFile, verbose,
        };
        command.SetAction((parse, ct) => RunAsync(
            new DaemonArguments(
                parse.GetRequiredValue(listen), parse.GetRequiredValue(http), parse.GetValue(peers) ?? [],
                parse.GetValue(connections), parse.GetValue(interval), parse.GetValue(timeout), parse.GetValue(verbose))
            {
                Alertmanager = parse.GetValue(alertmanager),
                Webhook = parse.GetValue(webhook),
                DataDirectory = parse.GetValue(dataDir),
                NoHistory = parse.GetValue(noHistory),
                ConfigFile = parse.GetValue(config),
                // Given on the command line, so it wins over the file; a default only fills what the file leaves out.
                Given = [.. new Option[] { listen, connections, interval, timeout }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)],
                IdentityFile = parse.GetValue(identityFile),
            },
            ct));
        return command;
    }

    private static async Task<int> RunAsync(DaemonArguments arguments, CancellationToken cancellationToken)
    {
        // Nothing from the working folder or the environment: only the file given with --config.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (DaemonConfigFile.Load(builder.Configuration, arguments.ConfigFile) is { } configError)
        {
            await Console.Error.WriteLineAsync($"resilink daemon: {configError}");
            return 2;
        }
        builder.Logging.ClearProviders();
        var minimum = arguments.Verbose ? LogLevel.Debug : LogLevel.Information;
        builder.Logging.SetMinimumLevel(minimum);
        builder.Logging.AddFilter("Microsoft.AspNetCore", arguments.Verbose ? LogLevel.Information : LogLevel.Warning);
        // The "health <id> <peer> A -> B" line below is the one print of a status change; the monitor's own
        // Information line says the same (its other entries, Debug and Warning, still get through). A filter rule
        // replaces the minimum level for the categories it covers, so it applies the minimum too.
        builder.Logging.AddFilter((category, level) =>
            level >= minimum && (level != LogLevel.Information || category != typeof(Resilink.Health.HealthMonitor).FullName));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(arguments.HttpEndPoint!));
        var loopback = IPAddress.IsLoopback(arguments.HttpEndPoint!.Address);
        if (loopback)
        {
            // A web page the user visits can point its own host name at 127.0.0.1 (DNS rebinding) and then read
            // /api/* and /metrics as same-origin. Its requests carry its host name: only loopback names get through.
            builder.Services.Configure<HostFilteringOptions>(o =>
            {
                o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"];
                o.IncludeFailureMessage = false;
            });
        }
        else
        {
            await Console.Error.WriteLineAsync(
                $"resilink daemon: warning: --http {arguments.Http} is not a loopback address; the dashboard and /api have no authentication.");
        }
        var fromFile = builder.Configuration.GetSection(DaemonConfigFile.NodeSection);
        var resilink = builder.Services.AddResilink(fromFile, node => arguments.ApplyTo(node, fromFile))
            .AddAlerting()
            .AddDashboard()
            .AddPrometheusEndpoint();
        builder.Services.AddHealthChecks().AddResilink();
        if (!arguments.NoHistory)
        {
            resilink.AddHistory(history => history.DataDirectory = arguments.DataDirectory);
            // One sample per health check, at whatever interval the file or the command line chose.
            builder.Services.AddOptions<HealthHistoryOptions>().Configure<IOptions<ResilinkNodeOptions>>((history, node) =>
                history.SampleInterval = node.Value.Host.Health.HealthCheckInterval);
        }

        await using var app = builder.Build();
        if (loopback)
        {
            app.UseHostFiltering(); // 400 for any other Host header
        }
        try
        {
            _ = app.Services.GetRequiredService<IOptions<ResilinkNodeOptions>>().Value;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            // A bad key or value in the --config file (the command line's own were checked above).
            var source = arguments.ConfigFile is null ? "" : $"--config '{arguments.ConfigFile}': ";
            await Console.Error.WriteLineAsync($"resilink daemon: {source}{ex.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        Libp2pHost host;
        try
        {
            host = app.Services.GetRequiredService<Libp2pHost>(); // after the options, before the endpoints that use it: its key file may be unusable
        }
        catch (KeyFileException ex)
        {
            await Console.Error.WriteLineAsync($"resilink daemon: {ex.Message}");
            return 1;
        }
        app.MapResilinkEndpoints();
        app.MapResilinkPrometheusEndpoint();
        app.MapHealthChecks("/healthz");
        app.MapResilinkDashboard();
        host.HealthStatusChanged += (_, e) =>
            Console.WriteLine($"health {e.ConnectionId} {e.PeerKey} {e.Previous} -> {e.Current} (score {e.Score:0.00}): {e.Reason}");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // Cannot listen (address in use, not on this machine): one line, not a stack trace. Kestrel's message names
            // the address, a bare SocketException's does not.
            var reason = ex.Message.ReplaceLineEndings(" ");
            await Console.Error.WriteLineAsync(ex is SocketException
                ? $"resilink daemon: cannot listen (--http {arguments.Http}, --listen {arguments.Listen}): {reason}"
                : $"resilink daemon: cannot listen: {reason}");
            return 1;
        }
        Console.WriteLine($"peer id {host.PeerId}");
        foreach (var address in host.ListenAddresses)
        {
            Console.WriteLine($"listening on {address.Encapsulate("/p2p/" + host.PeerId)}");
        }
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"http on {url} (/metrics /health /health/metrics /healthz)");
            Console.WriteLine($"dashboard on {url.TrimEnd('/')}/");
        }
        if (app.Services.GetService<SqliteHealthHistory>() is { } stored)
        {
            Console.WriteLine($"history in {stored.DatabasePath}");
        }

        // Ctrl+C or SIGTERM reaches the command's token, and the host's own console lifetime stops the application on
        // SIGTERM too: whichever comes first ends the wait (the daemon hung when only the host had seen the signal).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("shutting down");
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private sealed record DaemonArguments(
        string Listen, string Http, string[] Peers, int Connections, double HealthIntervalSeconds, double PingTimeoutSeconds, bool Verbose)
    {
        public Uri? Alertmanager { get; init; }

        public Uri? Webhook { get; init; }

        public string? DataDirectory { get; init; }

        public bool NoHistory { get; init; }

        public string? ConfigFile { get; init; }

        /// <summary>Names of the options with defaults that were given on the command line.</summary>
        public IReadOnlyCollection<string> Given { get; init; } = [];

        public string? IdentityFile { get; init; }

        public IPEndPoint? HttpEndPoint => ParseEndPoint(Http);

        /// <summary>
        /// Puts the command line into the node's options bound from the --config file's section: an option given on
        /// the command line wins, a default only fills a setting the file leaves out, and peers add to the file's.
        /// </summary>
        public void ApplyTo(ResilinkNodeOptions node, IConfigurationSection file)
        {
            bool Use(string option, string key) => Given.Contains(option) || !file.GetSection(key).Exists();
            if (Use("--listen", nameof(ResilinkNodeOptions.ListenAddresses)))
            {
                node.ListenAddresses.Clear();
                node.ListenAddresses.Add(Listen);
            }
            foreach (var peer in Peers)
            {
                node.Peers.Add(peer);
            }
            var health = node.Host.Health;
            if (Use("--connections", "Host:Connections:MaxConnectionsPerPeer"))
            {
                node.Host.Connections.MaxConnectionsPerPeer = Connections;
            }
            if (!file.GetSection("Host:Health:EnableHealthMonitoring").Exists())
            {
                health.EnableHealthMonitoring = true;
            }
            if (Use("--health-interval", "Host:Health:HealthCheckInterval"))
            {
                health.HealthCheckInterval = TimeSpan.FromSeconds(HealthIntervalSeconds);
            }
            if (Use("--ping-timeout", "Host:Health:PingTimeout"))
            {
                health.PingTimeout = TimeSpan.FromSeconds(PingTimeoutSeconds);
            }
            node.Alerting.AlertmanagerUrl = Alertmanager ?? node.Alerting.AlertmanagerUrl;
            node.Alerting.WebhookUrl = Webhook ?? node.Alerting.WebhookUrl;
            if (IdentityFile is not null || !file.GetSection("Identity:KeyFile").Exists())
            {
                // The daemon keeps its key beside its history by default, so its peer ID survives restarts.
                node.Identity.KeyFile = IdentityFile ?? Path.Combine(DataDirectory ?? HealthHistoryOptions.DefaultDataDirectory, KeyFile.DefaultFileName);
            }
        }

        /// <summary>
        /// address:port with both parts spelled out: an IPv4 address as four numbers, an IPv6 one in brackets, or
        /// localhost (the IPv4 loopback); port 0–65535. Stricter than <see cref="IPEndPoint.TryParse(string, out IPEndPoint?)"/>,
        /// which reads "9464" as the address 0.0.37.24 with port 0 and "127.0.0.1" as port 0.
        /// </summary>
        internal static IPEndPoint? ParseEndPoint(string value)
        {
            var colon = value.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return null;
            }
            var host = value[..colon];
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                return new IPEndPoint(IPAddress.Loopback, port);
            }
            var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
            if (bracketed)
            {
                host = host[1..^1];
            }
            if (!IPAddress.TryParse(host, out var address))
            {
                return null;
            }
            var spelledOut = address.AddressFamily == AddressFamily.InterNetworkV6
                ? bracketed
                : !bracketed && host.Count(c => c == '.') == 3;
            return spelledOut ? new IPEndPoint(address, port) : null;
        }
    }
}

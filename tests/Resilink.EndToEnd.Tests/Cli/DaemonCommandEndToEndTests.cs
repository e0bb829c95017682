using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink daemon</c>, the built CLI run as a process, with a libp2p peer in the test.</summary>
public sealed partial class DaemonCommandEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Daemon_WithOnePeer_ServesHealthAndMetricsThenExitsCleanlyOnCtrlC()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")]);
        string peerAddress = peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString();
        await using var daemon = CliProcess.Start(
            "daemon", "--no-history", "--http", "127.0.0.1:0", "--listen", "/ip4/127.0.0.1/tcp/0",
            "--health-interval", "0.2", "--ping-timeout", "1", "--connections", "2", "--peer", peerAddress);
        using var http = new HttpClient { BaseAddress = await HttpUrlAsync(daemon, deadline.Token), Timeout = TimeSpan.FromSeconds(5) };

        // The node dials its peer in the background once it is up, and pings each connection before calling it healthy.
        using JsonDocument health = JsonDocument.Parse(await PollAsync(
            http, "health", body => HealthyConnections(body, peer.PeerId.ToString()) == 2, daemon, deadline.Token));
        JsonElement reported = Assert.Single(health.RootElement.GetProperty("peers").EnumerateArray());
        Assert.Equal(peer.PeerId.ToString(), reported.GetProperty("peerKey").GetString());
        Assert.Equal("Healthy", reported.GetProperty("status").GetString());
        Assert.All(reported.GetProperty("connections").EnumerateArray(), c => Assert.Equal("Healthy", c.GetProperty("status").GetString()));
        Assert.Equal(1, health.RootElement.GetProperty("totalPeers").GetInt32());
        Assert.Equal(2, health.RootElement.GetProperty("totalConnections").GetInt32());

        string metrics = await PollAsync(http, "metrics", body => Sample(body, "resilink_peers_connected") == 1, daemon, deadline.Token);
        Assert.Equal(2, Sample(metrics, "resilink_connections_active", "state=\"connected\""));

        using HttpResponseMessage healthz = await http.GetAsync("healthz", deadline.Token);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("Healthy", await healthz.Content.ReadAsStringAsync(deadline.Token));

        daemon.Interrupt();

        int exitCode = await ExitCodeAsync(daemon, deadline.Token);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{daemon.Output}");
        Assert.Contains("shutting down", daemon.Output, StringComparison.Ordinal);
        Assert.Equal("", daemon.StandardError);
    }

    [Fact]
    public async Task Daemon_Sigterm_ExitsCleanly()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", "localhost:0"); // localhost: the IPv4 loopback address
        using var http = new HttpClient { BaseAddress = await HttpUrlAsync(daemon, deadline.Token), Timeout = TimeSpan.FromSeconds(5) };
        using HttpResponseMessage healthz = await http.GetAsync("healthz", deadline.Token);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode); // no peers configured: nothing to miss

        daemon.Terminate();

        int exitCode = await ExitCodeAsync(daemon, deadline.Token);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{daemon.Output}");
        Assert.Contains("shutting down", daemon.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("evil.example:9464", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("localhost:9464", HttpStatusCode.OK)]
    [InlineData("[::1]:9464", HttpStatusCode.OK)]
    public async Task Daemon_LoopbackHttp_AnswersOnlyLoopbackHostNames(string hostHeader, HttpStatusCode expected)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", "127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = await HttpUrlAsync(daemon, deadline.Token), Timeout = TimeSpan.FromSeconds(5) };

        // What a DNS-rebinding page's request looks like: the daemon's address, the page's own host name.
        using var metrics = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { Host = hostHeader } };
        using var metricsResponse = await http.SendAsync(metrics, deadline.Token);
        using var snapshot = new HttpRequestMessage(HttpMethod.Get, "api/dashboard/snapshot") { Headers = { Host = hostHeader } };
        using var snapshotResponse = await http.SendAsync(snapshot, deadline.Token);

        Assert.Equal(expected, metricsResponse.StatusCode);
        Assert.Equal(expected, snapshotResponse.StatusCode);
        Assert.Equal("", daemon.StandardError); // loopback: no warning
    }

    [Fact]
    public async Task Daemon_NonLoopbackHttp_WarnsOnStderrThatTheDashboardHasNoAuthentication()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", "0.0.0.0:0");
        await HttpUrlAsync(daemon, deadline.Token);

        daemon.Terminate();
        await ExitCodeAsync(daemon, deadline.Token);

        string line = Assert.Single(daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("resilink daemon: warning: --http 0.0.0.0:0 ", line, StringComparison.Ordinal);
        Assert.Contains("no authentication", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("9464")] // a port alone: IPEndPoint.TryParse reads it as the IPv4 address 0.0.37.24
    [InlineData("127.0.0.1")] // no port
    [InlineData("127.0.0.1:99999")]
    [InlineData("::1:9464")] // IPv6 needs brackets: [::1]:9464
    public async Task Daemon_BadHttpEndpoint_ExitsWithCode2AndOneLineOnStderr(string endpoint)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var daemon = CliProcess.Start("daemon", "--http", endpoint);

        int exitCode = await ExitCodeAsync(daemon, deadline.Token);

        Assert.True(exitCode == 2, $"exit code {exitCode}\n{daemon.Output}");
        string line = Assert.Single(daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("resilink daemon: --http ", line, StringComparison.Ordinal);
        Assert.Contains($"'{endpoint}'", line, StringComparison.Ordinal);
        Assert.Equal(daemon.StandardError, daemon.Output); // nothing on stdout
    }

    private static async Task<int> ExitCodeAsync(CliProcess daemon, CancellationToken cancellationToken)
    {
        try
        {
            return await daemon.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink daemon did not exit. Output:\n{daemon.Output}");
        }
    }

    [Fact]
    public async Task Daemon_HttpPortInUse_ExitsWithCode1AndOneLineOnStderr()
    {
        using var deadline = new CancellationTokenSource(Patience);
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        await using var daemon = CliProcess.Start("daemon", "--no-history", "--http", $"127.0.0.1:{port}");

        int exitCode = await ExitCodeAsync(daemon, deadline.Token);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{daemon.Output}");
        string line = Assert.Single(daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("resilink daemon: ", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Waits for "http on http://127.0.0.1:PORT (…)" and returns that URL (the real port when asked for port 0).</summary>
    private static async Task<Uri> HttpUrlAsync(CliProcess daemon, CancellationToken cancellationToken)
    {
        string line;
        try
        {
            line = await daemon.WaitForLineAsync(l => l.StartsWith("http on ", StringComparison.Ordinal), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"resilink daemon never said where it serves HTTP. Output:\n{daemon.Output}");
        }
        return new Uri(line.Split(' ')[2].TrimEnd('/') + "/");
    }

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds for the body; returns that body.</summary>
    private static async Task<string> PollAsync(
        HttpClient http, string path, Func<string, bool> done, CliProcess daemon, CancellationToken cancellationToken)
    {
        string last = "(no answer yet)";
        while (true)
        {
            try
            {
                last = await http.GetStringAsync(path, cancellationToken);
                if (done(last))
                {
                    return last;
                }

                // The daemon connects and pings in the background; the deadline bounds the polling.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"/{path} never showed what the test waits for. Last answer:\n{last}\n--- daemon output ---\n{daemon.Output}");
            }
        }
    }

    private static int HealthyConnections(string healthJson, string peer)
    {
        using JsonDocument document = JsonDocument.Parse(healthJson);
        return document.RootElement.GetProperty("peers").EnumerateArray()
            .Where(p => p.GetProperty("peerKey").GetString() == peer)
            .Sum(p => p.GetProperty("healthyConnections").GetInt32());
    }

    /// <summary>
    /// The value of the one sample of <paramref name="name"/> in Prometheus text with <paramref name="label"/> (e.g.
    /// <c>state="connected"</c>) among its labels, whatever the others; null if there is none.
    /// </summary>
    private static double? Sample(string text, string name, string? label = null)
    {
        List<Match> samples = SamplePattern().Matches(text)
            .Where(m => m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .ToList();
        return samples.Count switch
        {
            0 => null,
            1 => double.Parse(samples[0].Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"{samples.Count} samples of {name} {label}:\n{text}"),
        };
    }

    // name{labels} value [timestamp]
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)(?: \d+)?\r?$", RegexOptions.Multiline)]
    private static partial Regex SamplePattern();
}

using System.Text.Json;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary>
/// <c>--json</c> of listen, ping, dial and watch, the built CLI run as processes against real nodes: every stdout line
/// is one JSON object with a <c>type</c>, and the fields are those docs/cli-json.md documents.
/// </summary>
public sealed class CliJsonEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ListenAndPing_Json_EveryStdoutLineIsAnObjectOfAKnownType()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var listen = CliProcess.Start("listen", "--json");
        var listening = Parse(await listen.WaitForLineAsync(l => l.Contains("\"type\":\"listening\"", StringComparison.Ordinal), deadline.Token));
        var peerId = listening.GetProperty("peerId").GetString()!;
        var address = listening.GetProperty("addresses")[0].GetString()!;
        Assert.EndsWith("/p2p/" + peerId, address, StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", listening.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));

        await using var ping = CliProcess.Start("ping", address, "-c", "2", "-i", "0.1", "--json");
        Assert.True(await ping.WaitForExitAsync(deadline.Token) == 0, ping.Output);
        await listen.WaitForLineAsync(l => l.Contains("\"type\":\"disconnected\"", StringComparison.Ordinal), deadline.Token);
        listen.Interrupt();
        Assert.Equal(0, await listen.WaitForExitAsync(deadline.Token));

        var pingLines = Lines(ping.StandardOutput);
        Assert.Equal(["pong", "pong", "summary"], pingLines.Select(Type));
        Assert.Equal([1, 2], pingLines.Take(2).Select(l => l.GetProperty("seq").GetInt32()));
        Assert.All(pingLines.Take(2), l =>
        {
            Assert.Equal(peerId, l.GetProperty("peerId").GetString());
            Assert.True(l.GetProperty("rttMs").GetDouble() > 0);
        });
        var summary = pingLines[2];
        Assert.Equal((2, 2, 0.0), (summary.GetProperty("sent").GetInt32(), summary.GetProperty("received").GetInt32(), summary.GetProperty("lossPercent").GetDouble()));
        Assert.True(summary.GetProperty("rttAvgMs").GetDouble() > 0);

        var listenLines = Lines(listen.StandardOutput);
        Assert.Equal(["listening", "connected", "disconnected"], listenLines.Select(Type));
        Assert.Equal(listenLines[1].GetProperty("connectionId").GetString(), listenLines[2].GetProperty("connectionId").GetString());
    }

    [Fact]
    public async Task Dial_Json_PrintsTheIdentifyAnswerAsOneLine()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        await using var dial = CliProcess.Start("dial", peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString(), "--json");

        Assert.True(await dial.WaitForExitAsync(deadline.Token) == 0, dial.Output);

        var line = Assert.Single(Lines(dial.StandardOutput));
        Assert.Equal("identify", Type(line));
        Assert.Equal(peer.PeerId.ToString(), line.GetProperty("peerId").GetString());
        Assert.StartsWith("resilink/", line.GetProperty("agentVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", line.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(peer.ListenAddresses[0].ToString(), line.GetProperty("listenAddresses").EnumerateArray().Select(p => p.GetString()));
        Assert.True(line.GetProperty("rttMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Dial_JsonInProcess_WritesToTheGivenStdoutOnly()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await Resilink.Cli.ResilinkCli.RunAsync(
            ["dial", peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString(), "--json"], stdout, stderr, deadline.Token);

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(peer.PeerId.ToString(), Assert.Single(Lines(stdout.ToString())).GetProperty("peerId").GetString());
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public async Task Watch_Json_ConnectionLinesCarryTheHealthExportFieldsAndStatusNames()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        await using var watch = CliProcess.Start(
            "watch", peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString(), "--json", "-c", "2", "-i", "0.2", "--duration", "2");

        Assert.True(await watch.WaitForExitAsync(deadline.Token) == 0, watch.Output);

        var lines = Lines(watch.StandardOutput);
        Assert.Subset(new HashSet<string> { "watching", "connected", "status", "connection", "disconnected" }, lines.Select(Type).ToHashSet());
        Assert.Equal(2, lines.Single(l => Type(l) == "watching").GetProperty("connections").GetInt32());
        var connections = lines.Where(l => Type(l) == "connection").ToList();
        Assert.Equal(2, connections.Select(c => c.GetProperty("connectionId").GetString()).Distinct().Count());
        Assert.All(connections, c =>
        {
            Assert.Equal(peer.PeerId.ToString(), c.GetProperty("peerKey").GetString());
            Assert.Contains(c.GetProperty("status").GetString(), Enum.GetNames<HealthStatus>());
            _ = c.GetProperty("score").GetDouble();
            _ = c.GetProperty("rtt").GetProperty("p50Seconds").GetDouble();
            _ = c.GetProperty("timestamp").GetDateTimeOffset();
        });
        Assert.Contains(connections, c => c.GetProperty("status").GetString() == nameof(HealthStatus.Healthy));
        Assert.All(lines.Where(l => Type(l) == "status"), s => Assert.Contains(s.GetProperty("current").GetString(), Enum.GetNames<HealthStatus>()));
    }

    /// <summary>Every line of <paramref name="stdout"/>, each parsed as a JSON object (a line that is not one fails the test).</summary>
    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];

    private static JsonElement Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    private static string Type(JsonElement line) => line.GetProperty("type").GetString()!;
}

using System.Text.Json;
using Resilink.Interop.Tests.Support;
using Resilink.TestSupport;

namespace Resilink.Interop.Tests;

/// <summary>The <c>resilink</c> command line against a real js-libp2p node.</summary>
[Collection(JsPeerGroup.Name)]
public sealed class CliInteropTests(JsPeerFixture fixture)
{
    private readonly JsPeer _js = fixture.Peer;
    private readonly CancellationToken _ct = new CancellationTokenSource(InteropHelpers.TestTimeout).Token;

    [Fact]
    public async Task Ping_JsPeer_PrintsOneLinePerReplyAndStatistics()
    {
        await using var cli = CliProcess.Start("ping", _js.Addresses[0], "-c", "3", "-i", "0.1");

        var exitCode = await cli.WaitForExitAsync(_ct);

        Assert.True(exitCode == 0, cli.Output);
        Assert.Equal(3, cli.Output.Split('\n').Count(l => l.StartsWith($"32 bytes from {_js.PeerId}: seq=", StringComparison.Ordinal)));
        Assert.Contains("3 pings transmitted, 3 received, 0% packet loss", cli.Output, StringComparison.Ordinal);
        Assert.Contains("rtt min/avg/max/mdev = ", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_JsPeerWithJson_EveryStdoutLineIsAJsonObject()
    {
        await using var cli = CliProcess.Start("ping", _js.Addresses[0], "-c", "2", "-i", "0.1", "--json");

        var exitCode = await cli.WaitForExitAsync(_ct);

        Assert.True(exitCode == 0, cli.Output);
        var lines = cli.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["pong", "pong", "summary"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.Equal(_js.PeerId, l.GetProperty("peerId").GetString()));
        Assert.Equal(2, lines[2].GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task Listen_AnswersJsPingAndIdentify()
    {
        await using var cli = CliProcess.Start("listen", "--listen", "/ip4/127.0.0.1/tcp/0");
        var line = await cli.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), _ct);
        var address = line["listening on ".Length..].Trim();

        var ping = await _js.SendAsync("ping", new { addr = address, count = 2 }, _ct);
        var peer = address[(address.LastIndexOf('/') + 1)..];
        var identify = await _js.SendAsync("identify", new { peer }, _ct);

        Assert.Equal(2, ping.GetProperty("rtts").GetArrayLength());
        Assert.StartsWith("resilink/", identify.GetProperty("agentVersion").GetString(), StringComparison.Ordinal);
        await cli.WaitForLineAsync(l => l.StartsWith("connected ", StringComparison.Ordinal) && l.Contains(_js.PeerId, StringComparison.Ordinal), _ct);
    }

    [Fact]
    public async Task Ping_MalformedAddress_OneClearLineAndExitCode2()
    {
        await using var cli = CliProcess.Start("ping", "/ip4/1.2.3/tcp/1");

        var exitCode = await cli.WaitForExitAsync(_ct);

        Assert.Equal(2, exitCode);
        Assert.Contains("'1.2.3' is not an IPv4 address", cli.Output, StringComparison.Ordinal);
    }
}

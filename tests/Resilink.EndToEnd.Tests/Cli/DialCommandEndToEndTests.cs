using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary><c>resilink dial</c>, the built CLI run as a process against a libp2p host in the test.</summary>
public sealed class DialCommandEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dial_LivePeer_PrintsItsIdentifyAnswerAndExits0()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        string address = peer.ListenAddresses[0].Encapsulate("/p2p/" + peer.PeerId).ToString();
        await using var dial = CliProcess.Start("dial", address);

        var code = await dial.WaitForExitAsync(deadline.Token);

        Assert.True(code == 0, dial.Output);
        Assert.Contains($"connected    {peer.PeerId}", dial.Output, StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", dial.Output, StringComparison.Ordinal);
        Assert.Contains($"listens on   {peer.ListenAddresses[0]}", dial.Output, StringComparison.Ordinal);
        Assert.Contains("round trip", dial.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_WrongPeerId_Exits1NamingTheMismatch()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var peer = new Libp2pHost();
        await using var other = new Libp2pHost();
        await peer.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], deadline.Token);
        string address = peer.ListenAddresses[0].Encapsulate("/p2p/" + other.PeerId).ToString();
        await using var dial = CliProcess.Start("dial", address);

        var code = await dial.WaitForExitAsync(deadline.Token);

        Assert.Equal(1, code);
        Assert.Contains(other.PeerId.ToString(), dial.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_NotAMultiaddr_Exits2()
    {
        using var deadline = new CancellationTokenSource(Patience);
        await using var dial = CliProcess.Start("dial", "127.0.0.1:4001");

        Assert.Equal(2, await dial.WaitForExitAsync(deadline.Token));
        Assert.Contains("resilink dial: ", dial.StandardError, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.TestSupport;

namespace Resilink.EndToEnd.Tests.Cli;

/// <summary>A node started again with the same key file is the same peer: its <c>/p2p/&lt;id&gt;</c> addresses still work.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are Unix's
public sealed class KeyCommandIdentityRestartTests : IDisposable
{
    private readonly TempDirectory _directory = new("resilink-identity-");
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(45));

    public void Dispose()
    {
        _deadline.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Listen_RestartedWithSameIdentity_SamePeerId_AndADialerWithTheOldAddressReconnects()
    {
        var file = _directory.File("listen.key");
        var listen = $"/ip4/127.0.0.1/tcp/{FreePort()}";
        await using var dialer = new Libp2pHost();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dialer.Reconnected += (_, _) => reconnected.TrySetResult();

        string address;
        await using (var first = CliProcess.Start("listen", "--identity", file, "--listen", listen))
        {
            address = await ListeningOnAsync(first);
            var connection = await dialer.DialAsync(Multiaddr.Parse(address), _deadline.Token);
            dialer.KeepAlive(connection.RemotePeer);
            first.Interrupt();
            Assert.Equal(0, await first.WaitForExitAsync(_deadline.Token));
        }
        await using var second = CliProcess.Start("listen", "--identity", file, "--listen", listen);
        var again = await ListeningOnAsync(second);
        await reconnected.Task.WaitAsync(_deadline.Token);

        Assert.Equal(address, again);
        using var key = KeyFile.Load(file);
        Assert.EndsWith("/p2p/" + key.PeerId, address, StringComparison.Ordinal);
        Assert.True(await dialer.PingAsync(key.PeerId, _deadline.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Listen_WithoutIdentity_NewPeerIdEachStart()
    {
        string first, second;
        await using (var one = CliProcess.Start("listen"))
        {
            first = await PeerIdAsync(one);
        }
        await using (var two = CliProcess.Start("listen"))
        {
            second = await PeerIdAsync(two);
        }

        Assert.NotEqual(first, second); // what --identity is for
    }

    [Fact]
    public async Task Daemon_RestartedWithSameDataDir_KeepsItsPeerId_KeyInTheDataDirectory()
    {
        var dataDir = _directory.File("data");
        string[] arguments = ["daemon", "--no-history", "--http", "127.0.0.1:0", "--data-dir", dataDir];

        string first;
        await using (var daemon = CliProcess.Start(arguments))
        {
            first = await PeerIdAsync(daemon);
            daemon.Interrupt();
            Assert.Equal(0, await daemon.WaitForExitAsync(_deadline.Token));
        }
        await using var restarted = CliProcess.Start(arguments);
        var second = await PeerIdAsync(restarted);

        Assert.Equal(first, second);
        var file = Path.Combine(dataDir, KeyFile.DefaultFileName);
        using var key = KeyFile.Load(file);
        Assert.Equal(first, key.PeerId.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    private async Task<string> PeerIdAsync(CliProcess cli)
    {
        try
        {
            return (await cli.WaitForLineAsync(l => l.StartsWith("peer id ", StringComparison.Ordinal), _deadline.Token))["peer id ".Length..].Trim();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No peer id line. Output:\n{cli.Output}");
        }
    }

    private async Task<string> ListeningOnAsync(CliProcess cli)
    {
        try
        {
            return (await cli.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), _deadline.Token))["listening on ".Length..].Trim();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No listening line. Output:\n{cli.Output}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

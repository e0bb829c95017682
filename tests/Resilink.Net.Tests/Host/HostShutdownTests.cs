using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Host;

public sealed class HostShutdownTests
{
    [Fact]
    public async Task DisposeAsync_PeerHoldsALongLivedPingStream_NoHandlerFailureLogged()
    {
        using var timeout = new CancellationTokenSource(HostFixtures.TestTimeout);
        using var logs = new CapturingLoggerFactory();
        await using var a = new Libp2pHost();
        var b = new Libp2pHost(loggerFactory: logs);
        await b.StartAsync([Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], timeout.Token);
        var connection = await a.DialAsync(HostFixtures.AddressOf(b), timeout.Token);
        await connection.PingAsync(timeout.Token); // b now serves our ping stream until it is closed

        await b.DisposeAsync();

        Assert.Equal(0, logs.Count("Handler for"));
    }
}

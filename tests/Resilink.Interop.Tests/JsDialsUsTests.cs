using Resilink.Interop.Tests.Support;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Protocols.Ping;

namespace Resilink.Interop.Tests;

/// <summary>A real js-libp2p 3.x node dials Resilink.</summary>
[Collection(JsPeerGroup.Name)]
public sealed class JsDialsUsTests(JsPeerFixture fixture)
{
    private readonly JsPeer _js = fixture.Peer;
    private readonly CancellationToken _ct = new CancellationTokenSource(InteropHelpers.TestTimeout).Token;

    [Fact]
    public async Task JsPing_Resilink_RoundTrips()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);

        var reply = await _js.SendAsync("ping", new { addr = InteropHelpers.AddressOf(host), count = 3 }, _ct);

        Assert.Equal(3, reply.GetProperty("rtts").GetArrayLength());
        Assert.Single(host.GetConnections(PeerId.Parse(_js.PeerId)));
    }

    [Fact]
    public async Task JsIdentify_Resilink_BothSidesSeeEachOther()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var opened = new TaskCompletionSource<Net.Swarm.Libp2pConnection>();
        host.ConnectionOpened += (_, e) => opened.TrySetResult(e.Connection);

        await _js.SendAsync("dial", new { addr = InteropHelpers.AddressOf(host) }, _ct);
        var theirs = await _js.SendAsync("identify", new { peer = host.PeerId.ToString() }, _ct);

        Assert.Equal(host.PeerId.ToString(), theirs.GetProperty("peer").GetString());
        var protocols = theirs.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains(PingProtocol.ProtocolId, protocols);
        Assert.Contains(EchoProtocol.ProtocolId, protocols);

        var inbound = await opened.Task.WaitAsync(_ct);
        Assert.Equal(Net.Swarm.ConnectionDirection.Inbound, inbound.Direction);
        var ours = await inbound.Identify.WaitAsync(_ct);
        Assert.Equal(_js.PeerId, ours.PeerId.ToString());
        Assert.Contains("/resilink/sink/1.0.0", ours.Protocols);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public async Task JsEcho_ThroughResilink_ComesBackByteForByte(int size)
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);

        var reply = await _js.SendAsync("echo", new { addr = InteropHelpers.AddressOf(host), size }, _ct);

        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
        Assert.Equal(size, reply.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task JsEcho_HundredConcurrentStreamsOnOneConnection_AllSucceed()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        await _js.SendAsync("dial", new { addr = InteropHelpers.AddressOf(host) }, _ct);

        var reply = await _js.SendAsync("echoConcurrent", new { peer = host.PeerId.ToString(), streams = 100, size = 8 * 1024 }, _ct);

        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
        Assert.Equal(100, reply.GetProperty("okCount").GetInt32());
        Assert.Single(host.GetConnections(PeerId.Parse(_js.PeerId)));
    }

    [Fact]
    public async Task JsHangsUp_ResilinkDropsTheConnection()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var closed = new TaskCompletionSource();
        host.ConnectionClosed += (_, _) => closed.TrySetResult();
        await _js.SendAsync("dial", new { addr = InteropHelpers.AddressOf(host) }, _ct);

        await _js.SendAsync("closeConnections", new { peer = host.PeerId.ToString() }, _ct);
        await closed.Task.WaitAsync(_ct);

        Assert.Empty(host.GetConnections(PeerId.Parse(_js.PeerId)));
    }
}

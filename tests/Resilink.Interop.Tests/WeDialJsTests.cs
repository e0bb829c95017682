using Resilink.Interop.Tests.Support;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Protocols.Ping;
using Resilink.Net.Security.Noise;

namespace Resilink.Interop.Tests;

/// <summary>Resilink dials a real js-libp2p 3.x node.</summary>
[Collection(JsPeerGroup.Name)]
public sealed class WeDialJsTests(JsPeerFixture fixture)
{
    private readonly JsPeer _js = fixture.Peer;
    private readonly CancellationToken _ct = new CancellationTokenSource(InteropHelpers.TestTimeout).Token;

    [Fact]
    public async Task Ping_JsPeer_RoundTrips()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var connection = await host.DialAsync(Multiaddr.Parse(_js.Addresses[0]), _ct);

        Assert.Equal(_js.PeerId, connection.RemotePeer.ToString());
        for (var i = 0; i < 5; i++)
        {
            Assert.InRange(await host.PingAsync(connection.RemotePeer, _ct), TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Identify_BothSides_SeeEachOthersPeerIdAndProtocols()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        host.SetStreamHandler("/resilink/test/1.0.0", (_, _) => Task.CompletedTask);
        var connection = await host.DialAsync(Multiaddr.Parse(_js.Addresses[0]), _ct);

        var ours = await connection.Identify.WaitAsync(_ct);
        Assert.Equal(_js.PeerId, ours.PeerId.ToString());
        Assert.Contains(PingProtocol.ProtocolId, ours.Protocols);
        Assert.Contains(IdentifyProtocol.ProtocolId, ours.Protocols);
        Assert.Contains(EchoProtocol.ProtocolId, ours.Protocols);
        Assert.Equal("resilink-interop-js/1.0.0", ours.AgentVersion);
        Assert.Contains(ours.ListenAddresses, a => _js.Addresses[0].StartsWith(a.ToString(), StringComparison.Ordinal));

        var theirs = await _js.SendAsync("identify", new { peer = host.PeerId.ToString() }, _ct);
        Assert.Equal(host.PeerId.ToString(), theirs.GetProperty("peer").GetString());
        var protocols = theirs.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("/resilink/test/1.0.0", protocols);
        Assert.Contains(EchoProtocol.ProtocolId, protocols);
        Assert.StartsWith("resilink/", theirs.GetProperty("agentVersion").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public async Task Echo_Payload_ComesBackByteForByte(int size)
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var connection = await host.DialAsync(Multiaddr.Parse(_js.Addresses[0]), _ct);
        var payload = InteropHelpers.Pattern(size);

        var echoed = await InteropHelpers.EchoAsync(host, connection.RemotePeer, payload, _ct);

        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task Echo_HundredConcurrentStreamsOnOneConnection_AllSucceed()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var connection = await host.DialAsync(Multiaddr.Parse(_js.Addresses[0]), _ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var payload = InteropHelpers.Pattern(8 * 1024 + i);
            var echoed = await InteropHelpers.EchoAsync(host, connection.RemotePeer, payload, _ct);
            return payload.AsSpan().SequenceEqual(echoed);
        }));

        Assert.All(results, Assert.True);
        Assert.Single(host.GetConnections(connection.RemotePeer));
    }

    [Fact]
    public async Task JsClosesConnectionMidStream_OurReaderFailsCleanly()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        var connection = await host.DialAsync(Multiaddr.Parse(_js.Addresses[0]), _ct);

        await using var stream = await host.NewStreamAsync(connection.RemotePeer, "/resilink/midclose/1.0.0", _ct);
        await stream.WriteAsync(new byte[2048], _ct);
        var error = await Record.ExceptionAsync(async () =>
        {
            var buffer = new byte[64];
            while (await stream.ReadAsync(buffer, _ct) > 0)
            {
            }
        });

        // Either a reset/closed-connection IOException or a clean EOF — but never a hang, and the connection is gone.
        Assert.True(error is null or IOException, $"unexpected {error}");
        await connection.Completion.WaitAsync(_ct);
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Dial_WrongPeerId_FailsWithMismatchAndJsStaysUsable()
    {
        await using var host = await InteropHelpers.StartHostAsync(_ct);
        using var impostor = KeyPair.GenerateEd25519();
        var real = Multiaddr.Parse(_js.Addresses[0]);
        var wrong = real.WithoutPeerId().Encapsulate("/p2p/" + impostor.PeerId);

        var error = await Assert.ThrowsAsync<PeerIdMismatchException>(() => host.DialAsync(wrong, _ct));

        Assert.Contains(_js.PeerId, error.Message, StringComparison.Ordinal);
        var connection = await host.DialAsync(real, _ct);
        Assert.True(await host.PingAsync(connection.RemotePeer, _ct) > TimeSpan.Zero);
    }
}

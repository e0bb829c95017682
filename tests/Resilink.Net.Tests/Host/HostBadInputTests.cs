using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Protocols;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Security.Noise;
using Resilink.Net.Transport;

namespace Resilink.Net.Tests.Host;

/// <summary>
/// Peers that get through the handshake and then misbehave: each costs only its own stream or connection,
/// and the host keeps serving everyone else.
/// </summary>
public sealed class HostBadInputTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Fact]
    public async Task AuthenticatedPeer_SendsGarbageInsteadOfYamux_OnlyItsConnectionIsDropped()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);

        // A hand-driven peer: TCP, /noise, a valid Noise handshake offering yamux inline, then random encrypted bytes.
        using var rogueIdentity = KeyPair.GenerateEd25519();
        await using var raw = await new TcpTransport().DialAsync(b.ListenAddresses[0], _fixtures.Token);
        await MultistreamSelect.SelectOneAsync(raw.Stream, [NoiseHandshake.ProtocolId], _fixtures.Token);
        await using var secure = await NoiseHandshake.SecureOutboundAsync(
            raw.Stream, rogueIdentity, b.PeerId, [YamuxSession.ProtocolId], _fixtures.Token);
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[0] = 9; // an unknown Yamux version: a protocol error, whatever follows
        await secure.WriteAsync(garbage, _fixtures.Token);
        await secure.FlushAsync(_fixtures.Token);

        // b answers with a go-away or just closes; either way the rogue's connection ends...
        await HostFixtures.DrainUntilClosedAsync(secure, _fixtures.Token);
        Assert.DoesNotContain(b.GetConnections(), c => c.RemotePeer.Equals(rogueIdentity.PeerId));
        // ...and a's connection never noticed.
        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task IdentifyAnswer_LengthPrefixOverLimit_RefusedBeforeAllocatingAndConnectionSurvives()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        b.SetStreamHandler(IdentifyProtocol.ProtocolId, async (stream, ct) =>
        {
            // Announce a 1 GiB message; send only a few bytes of it.
            var prefix = Encoding.Varint.Encode(1UL << 30);
            await stream.WriteAsync(prefix, ct);
            await stream.WriteAsync(new byte[16], ct);
        });
        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => IdentifyProtocol.RequestAsync(connection, _fixtures.Token));

        Assert.Contains("exceeds the limit", error.Message, StringComparison.Ordinal);
        // Process-wide (continuations hop threads); other tests running meanwhile allocate far less than the 1 GiB announced.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 512L * 1024 * 1024, "allocated as if the length were trusted");
        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task InboundStream_NeverNegotiates_TimesOutAndConnectionSurvives()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { StreamNegotiationTimeout = TimeSpan.FromMilliseconds(200) });
        var connection = await _fixtures.ConnectAsync(a, b);

        // A raw Yamux stream that never says which protocol it wants: b must reset it, not wait forever.
        var silent = await connection.Session.OpenStreamAsync(_fixtures.Token);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            var buffer = new byte[256];
            while (await silent.ReadAsync(buffer, _fixtures.Token) > 0)
            {
                // b's multistream header arrives first; then the reset.
            }
            throw new IOException("closed without a reset");
        });

        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }
}

using Google.Protobuf;
using Resilink.Net.Identity;
using Resilink.Net.Security.Noise;
using NoisePb = Resilink.Net.Security.Noise.Protobuf;

namespace Resilink.Net.Tests.Security;

/// <summary>Inlined (early) stream muxer negotiation in the Noise handshake payload extensions.</summary>
public class NoiseEarlyMuxerTests
{
    private const string Yamux = "/yamux/1.0.0";
    private const string Mplex = "/mplex/6.7.0";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(NoiseSecureStream Client, NoiseSecureStream Server)> PairAsync(
        IReadOnlyList<string>? clientMuxers, IReadOnlyList<string>? serverMuxers)
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.SecureInboundAsync(b, serverId, serverMuxers).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(a, clientId, serverId.PeerId, clientMuxers).AsTask();
        await Task.WhenAll(serverTask, clientTask).WaitAsync(Timeout);
        return (clientTask.Result, serverTask.Result);
    }

    private static async Task RoundTripAsync(Stream from, Stream to)
    {
        var data = "early muxer"u8.ToArray();
        await from.WriteAsync(data);
        await from.FlushAsync();
        var got = new byte[data.Length];
        await to.ReadExactlyAsync(got).AsTask().WaitAsync(Timeout);
        Assert.Equal(data, got);
    }

    [Fact]
    public async Task BothOfferYamux_EarlyMuxerIsYamuxOnBothSides()
    {
        var (client, server) = await PairAsync([Yamux], [Yamux]);
        await using (client)
        await using (server)
        {
            Assert.Equal(Yamux, client.EarlyMuxer);
            Assert.Equal(Yamux, server.EarlyMuxer);
            Assert.Equal([Yamux], client.RemoteStreamMuxers);
            Assert.Equal([Yamux], server.RemoteStreamMuxers);
            await RoundTripAsync(client, server);
            await RoundTripAsync(server, client);
        }
    }

    [Theory]
    [InlineData(new[] { Yamux, Mplex }, new[] { Mplex, Yamux }, Yamux)] // initiator prefers yamux: yamux
    [InlineData(new[] { Mplex, Yamux }, new[] { Yamux, Mplex }, Mplex)] // initiator prefers mplex: mplex
    [InlineData(new[] { "/other/1", Yamux }, new[] { Mplex, Yamux }, Yamux)] // first common entry of the initiator's list
    public async Task InitiatorPreferenceWins_OnBothSides(string[] initiator, string[] responder, string expected)
    {
        var (client, server) = await PairAsync(initiator, responder);
        await using (client)
        await using (server)
        {
            Assert.Equal(expected, client.EarlyMuxer);
            Assert.Equal(expected, server.EarlyMuxer);
            Assert.Equal(responder, client.RemoteStreamMuxers);
            Assert.Equal(initiator, server.RemoteStreamMuxers);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OneSideOffersNone_NoEarlyMuxer_FallBack(bool initiatorOffers)
    {
        var (client, server) = await PairAsync(initiatorOffers ? [Yamux] : null, initiatorOffers ? [] : [Yamux]);
        await using (client)
        await using (server)
        {
            Assert.Null(client.EarlyMuxer);
            Assert.Null(server.EarlyMuxer);
            Assert.Equal(initiatorOffers ? [] : [Yamux], client.RemoteStreamMuxers);
            Assert.Equal(initiatorOffers ? [Yamux] : [], server.RemoteStreamMuxers);
            await RoundTripAsync(client, server);
        }
    }

    [Fact]
    public async Task LegacyOverloads_OfferNothing()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.SecureInboundAsync(b, serverId, default).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(a, clientId, null, CancellationToken.None).AsTask();
        await Task.WhenAll(serverTask, clientTask).WaitAsync(Timeout);
        await using var client = await clientTask;
        await using var server = await serverTask;
        Assert.Null(client.EarlyMuxer);
        Assert.Empty(client.RemoteStreamMuxers);
        Assert.Empty(server.RemoteStreamMuxers);
    }

    [Fact]
    public async Task NoOverlap_BothSidesFailWithNoiseHandshakeException()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.SecureInboundAsync(b, serverId, [Mplex]).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(a, clientId, null, [Yamux]).AsTask();
        var clientError = await Assert.ThrowsAsync<NoiseHandshakeException>(() => clientTask.WaitAsync(Timeout));
        var serverError = await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(Timeout));
        Assert.Contains("no stream muxer in common", clientError.Message, StringComparison.Ordinal);
        Assert.Contains("no stream muxer in common", serverError.Message, StringComparison.Ordinal);
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
    }

    public static TheoryData<string, byte[]> GarbageExtensions() => new()
    {
        { "too many entries", Extension(Enumerable.Range(0, NoiseHandshake.MaxStreamMuxers + 1).Select(i => $"/m/{i}").ToArray()) },
        { "oversized entry", Extension([Yamux, "/" + new string('x', NoiseHandshake.MaxStreamMuxerIdLength)]) },
        { "empty entry", Extension([Yamux, ""]) },
        { "control character", Extension(["/yamux/1.0.0\n"]) },
        { "invalid utf-8", Wrap([0x12, 0x02, 0xC3, 0x28]) },
        { "truncated extension", [0x22, 0x05, 0x12, 0x10, 0x2F] },
    };

    [Theory]
    [MemberData(nameof(GarbageExtensions))]
    public async Task GarbageFromResponder_InitiatorThrowsNoiseHandshakeException(string what, byte[] appended)
    {
        _ = what;
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.RunAsync(b, serverId, initiator: false, null, null, CancellationToken.None, [Yamux], p => [.. p, .. appended]).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(a, clientId, null, [Yamux]).AsTask();
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => clientTask.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => serverTask.WaitAsync(Timeout)); // the initiator hung up
    }

    [Theory]
    [MemberData(nameof(GarbageExtensions))]
    public async Task GarbageFromInitiator_ResponderThrowsNoiseHandshakeException(string what, byte[] appended)
    {
        _ = what;
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.SecureInboundAsync(b, serverId, [Yamux]).AsTask();
        var clientTask = NoiseHandshake.RunAsync(a, clientId, initiator: true, null, null, CancellationToken.None, [Yamux], p => [.. p, .. appended]).AsTask();
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(Timeout));
        try
        {
            await (await clientTask.WaitAsync(Timeout)).DisposeAsync(); // the initiator finished before the responder judged it
        }
        catch (Exception ex) when (ex is NoiseHandshakeException or IOException)
        {
        }
        Assert.True(b.IsDisposed);
    }

    [Fact]
    public async Task GarbageIsRejected_EvenWhenWeOfferNoMuxers()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var serverTask = NoiseHandshake.RunAsync(b, serverId, initiator: false, null, null, CancellationToken.None, [], p => [.. p, .. Extension([""])]).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(a, clientId, null).AsTask();
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => clientTask.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => serverTask.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a\r\n")]
    [InlineData("duplicate")]
    [InlineData("too many")]
    public async Task InvalidLocalList_ThrowsArgumentException_AndLeavesStreamAlone(string kind)
    {
        using var id = KeyPair.GenerateEd25519();
        var (a, _) = InMemoryDuplexStream.CreatePair();
        string[] muxers = kind switch
        {
            "duplicate" => [Yamux, Yamux],
            "too many" => Enumerable.Range(0, NoiseHandshake.MaxStreamMuxers + 1).Select(i => $"/m/{i}").ToArray(),
            _ => [kind],
        };
        await Assert.ThrowsAsync<ArgumentException>(() => NoiseHandshake.SecureOutboundAsync(a, id, null, muxers).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => NoiseHandshake.SecureInboundAsync(a, id, muxers).AsTask());
        Assert.False(a.IsDisposed);
    }

    [Fact]
    public void BuildPayload_WithMuxers_CarriesStreamMuxersExtension()
    {
        using var identity = KeyPair.GenerateEd25519();
        var staticKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var withMuxers = NoiseHandshake.BuildPayload(identity, staticKey, [Yamux, Mplex]);
        var without = NoiseHandshake.BuildPayload(identity, staticKey);

        // Same identity fields, then field 4 (0x22) holding field 2 (0x12) strings.
        Assert.Equal(without, withMuxers[..without.Length]);
        Assert.Equal(Wrap([.. Str(Yamux), .. Str(Mplex)]), withMuxers[without.Length..]);
        var parsed = NoisePb.NoiseHandshakePayload.Parser.ParseFrom(withMuxers);
        Assert.Equal([Yamux, Mplex], parsed.Extensions.StreamMuxers);
    }

    private static byte[] Str(string s)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(s);
        return [0x12, (byte)bytes.Length, .. bytes];
    }

    private static byte[] Extension(string[] muxers) =>
        Wrap(new NoisePb.NoiseExtensions { StreamMuxers = { muxers } }.ToByteArray());

    /// <summary>Field 4 (extensions) of NoiseHandshakePayload around <paramref name="extension"/>.</summary>
    private static byte[] Wrap(byte[] extension)
    {
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(4, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(extension));
        coded.Flush();
        return output.ToArray();
    }
}

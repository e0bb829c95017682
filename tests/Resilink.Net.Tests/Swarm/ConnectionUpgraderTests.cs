using Microsoft.Extensions.Logging.Abstractions;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Negotiation;
using Resilink.Net.Security.Noise;
using Resilink.Net.Swarm;
using Resilink.Net.Tests.Host;
using Resilink.Net.Tests.TestSupport;
using Resilink.Net.Transport;

namespace Resilink.Net.Tests.Swarm;

/// <summary>
/// The upgrader against a hand-driven peer (raw multistream-select + Noise + Yamux), recording the plaintext the
/// hand-driven side reads after the handshake: with early negotiation the first bytes are a Yamux frame, with the
/// fallback they are the multistream-select header.
/// </summary>
public sealed class ConnectionUpgraderTests
{
    private const string TestProtocol = "/resilink/test/echo/1.0.0";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly byte[] MultistreamHeader = [0x13, .. "/multistream/1.0.0\n"u8];

    private static ConnectionUpgrader NewUpgrader(KeyPair identity) =>
        new(identity, new YamuxOptions(), TimeSpan.FromSeconds(10), NullLoggerFactory.Instance, TimeProvider.System);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Outbound_PeerOffersYamux_NoMuxerMultistreamRound(bool peerOffersYamux)
    {
        using var ourId = KeyPair.GenerateEd25519();
        using var peerId = KeyPair.GenerateEd25519();
        using var cts = new CancellationTokenSource(Timeout);
        var (client, server) = await LoopbackTcpPair.CreateAsync(cts.Token);

        // The hand-driven responder.
        var peerTask = Task.Run(async () =>
        {
            await MultistreamSelect.HandleAsync(server, [NoiseHandshake.ProtocolId], cts.Token);
            var secure = await NoiseHandshake.SecureInboundAsync(server, peerId, peerOffersYamux ? [YamuxSession.ProtocolId] : null, cts.Token);
            var recording = new ReadRecordingStream(secure);
            if (!peerOffersYamux)
            {
                await MultistreamSelect.HandleAsync(recording, [YamuxSession.ProtocolId], cts.Token);
            }
            return (secure, recording);
        });

        var connection = await NewUpgrader(ourId).UpgradeOutboundAsync(new TestTransportConnection(client), peerId.PeerId, cts.Token);
        var (peerSecure, peerRecording) = await peerTask.WaitAsync(cts.Token);
        await using var peerSession = new YamuxSession(peerRecording, isInitiator: false);
        peerSession.Start();
        var echo = ServeEchoOnceAsync(peerSession, cts.Token);
        await using (connection)
        {
            Assert.Equal(peerOffersYamux, connection.UsedEarlyMuxerNegotiation);
            Assert.Equal(peerOffersYamux ? YamuxSession.ProtocolId : null, peerSecure.EarlyMuxer);
            Assert.Equal([YamuxSession.ProtocolId], peerSecure.RemoteStreamMuxers); // we always offer yamux
            await EchoThroughAsync(connection, cts.Token);
            await echo.WaitAsync(cts.Token);
        }
        AssertFirstPlaintext(peerRecording.ReadBytes, early: peerOffersYamux);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Inbound_PeerOffersYamux_NoMuxerMultistreamRound(bool peerOffersYamux)
    {
        using var ourId = KeyPair.GenerateEd25519();
        using var peerId = KeyPair.GenerateEd25519();
        using var cts = new CancellationTokenSource(Timeout);
        var (client, server) = await LoopbackTcpPair.CreateAsync(cts.Token);

        // The hand-driven initiator.
        var peerTask = Task.Run(async () =>
        {
            await MultistreamSelect.SelectOneAsync(client, [NoiseHandshake.ProtocolId], cts.Token);
            var secure = await NoiseHandshake.SecureOutboundAsync(client, peerId, ourId.PeerId, peerOffersYamux ? [YamuxSession.ProtocolId] : null, cts.Token);
            var recording = new ReadRecordingStream(secure);
            if (!peerOffersYamux)
            {
                await MultistreamSelect.SelectOneAsync(recording, [YamuxSession.ProtocolId], cts.Token);
            }
            return (secure, recording);
        });

        var connection = await NewUpgrader(ourId).UpgradeInboundAsync(new TestTransportConnection(server), cts.Token);
        var (peerSecure, peerRecording) = await peerTask.WaitAsync(cts.Token);
        await using var peerSession = new YamuxSession(peerRecording, isInitiator: true);
        peerSession.Start();
        var echo = ServeEchoOnceAsync(peerSession, cts.Token);
        await using (connection)
        {
            Assert.Equal(peerOffersYamux, connection.UsedEarlyMuxerNegotiation);
            Assert.Equal(peerOffersYamux ? YamuxSession.ProtocolId : null, peerSecure.EarlyMuxer);
            await EchoThroughAsync(connection, cts.Token);
            await echo.WaitAsync(cts.Token);
        }
        AssertFirstPlaintext(peerRecording.ReadBytes, early: peerOffersYamux);
    }

    [Fact]
    public async Task Outbound_PeerOffersOnlyOtherMuxers_FailsAndAbortsTransport()
    {
        using var ourId = KeyPair.GenerateEd25519();
        using var peerId = KeyPair.GenerateEd25519();
        using var cts = new CancellationTokenSource(Timeout);
        var (client, server) = await LoopbackTcpPair.CreateAsync(cts.Token);
        var peerTask = Task.Run(async () =>
        {
            await MultistreamSelect.HandleAsync(server, [NoiseHandshake.ProtocolId], cts.Token);
            return await NoiseHandshake.SecureInboundAsync(server, peerId, ["/mplex/6.7.0"], cts.Token);
        });
        var transport = new TestTransportConnection(client);

        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => NewUpgrader(ourId).UpgradeOutboundAsync(transport, peerId.PeerId, cts.Token));
        Assert.Contains("no stream muxer in common", error.Message, StringComparison.Ordinal);
        Assert.True(transport.Aborted);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => peerTask.WaitAsync(cts.Token));
    }

    [Fact]
    public async Task Hosts_NegotiateYamuxEarly_OnBothSides_AndPing()
    {
        await using var fixtures = new HostFixtures();
        var a = await fixtures.StartHostAsync();
        var b = await fixtures.StartHostAsync();

        var outbound = await fixtures.ConnectAsync(a, b);
        var inbound = b.GetConnection(a.PeerId);

        Assert.True(outbound.UsedEarlyMuxerNegotiation);
        Assert.NotNull(inbound);
        Assert.True(inbound.UsedEarlyMuxerNegotiation);
        Assert.True(await outbound.PingAsync(fixtures.Token) > TimeSpan.Zero);
        Assert.True(await inbound.PingAsync(fixtures.Token) > TimeSpan.Zero);
    }

    private static void AssertFirstPlaintext(byte[] read, bool early)
    {
        Assert.True(read.Length >= 12, $"only {read.Length} plaintext bytes were read");
        if (early)
        {
            // Yamux header: version 0, a valid frame type (0..3); never the multistream-select header.
            Assert.Equal(0, read[0]);
            Assert.InRange(read[1], 0, 3);
            Assert.NotEqual(MultistreamHeader, read[..Math.Min(read.Length, MultistreamHeader.Length)]);
        }
        else
        {
            Assert.Equal(MultistreamHeader, read[..MultistreamHeader.Length]);
        }
    }

    private static async Task EchoThroughAsync(Libp2pConnection connection, CancellationToken ct)
    {
        await using var stream = await connection.NewStreamAsync([TestProtocol], ct);
        var data = "over yamux"u8.ToArray();
        await stream.WriteAsync(data, ct);
        await stream.FlushAsync(ct);
        var got = new byte[data.Length];
        await stream.ReadExactlyAsync(got, ct);
        Assert.Equal(data, got);
    }

    private static async Task ServeEchoOnceAsync(YamuxSession session, CancellationToken ct)
    {
        var stream = await session.AcceptStreamAsync(ct);
        await MultistreamSelect.HandleAsync(stream, [TestProtocol], ct);
        var buffer = new byte[10];
        await stream.ReadExactlyAsync(buffer, ct);
        await stream.WriteAsync(buffer, ct);
        await stream.FlushAsync(ct);
    }

    private sealed class TestTransportConnection(Stream stream) : ITransportConnection
    {
        public Stream Stream { get; } = stream;
        public Multiaddr LocalAddress { get; } = Multiaddr.Parse("/ip4/127.0.0.1/tcp/1");
        public Multiaddr RemoteAddress { get; } = Multiaddr.Parse("/ip4/127.0.0.1/tcp/2");
        public bool Aborted { get; private set; }

        public void Abort()
        {
            Aborted = true;
            Stream.Dispose();
        }

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }

    /// <summary>Passes everything through and keeps a copy of the first 4 KiB read.</summary>
    private sealed class ReadRecordingStream(Stream inner) : Stream
    {
        private readonly MemoryStream _read = new();

        public byte[] ReadBytes
        {
            get
            {
                lock (_read)
                {
                    return _read.ToArray();
                }
            }
        }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            lock (_read)
            {
                if (_read.Length < 4096)
                {
                    _read.Write(buffer.Span[..n]);
                }
            }
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;
using Resilink.Net.Negotiation;
using Resilink.Net.Protocols.Echo;
using Resilink.Net.Protocols.Identify;
using Resilink.Net.Protocols.Ping;
using Resilink.Net.Security.Noise;

namespace Resilink.Net.Tests.Host;

public sealed class Libp2pHostTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixtures.DisposeAsync();

    [Fact]
    public async Task DialAsync_WithPeerId_ConnectsBothSidesToTheRightPeer()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var opened = new TaskCompletionSource<Libp2pConnectionEventArgs>();
        b.ConnectionOpened += (_, e) => opened.TrySetResult(e);

        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        Assert.Equal(b.PeerId, connection.RemotePeer);
        var inbound = await opened.Task.WaitAsync(_fixtures.Token);
        Assert.Equal(a.PeerId, inbound.Connection.RemotePeer);
        Assert.Single(a.GetConnections(b.PeerId));
        Assert.Same(connection, a.GetConnection(b.PeerId));
    }

    [Fact]
    public async Task PingAsync_ConnectedPeer_ReturnsPositiveRoundTrip()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);

        for (var i = 0; i < 5; i++)
        {
            var rtt = await a.PingAsync(b.PeerId, _fixtures.Token);
            Assert.InRange(rtt, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        }
        // The other direction works on the same (inbound) connection.
        Assert.True(await b.PingAsync(a.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task IdentifyAsync_ConnectedPeer_ReportsKeyProtocolsAndAgent()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { AgentVersion = "test-agent/1.2" });
        b.SetStreamHandler("/custom/1.0.0", (s, ct) => Task.CompletedTask);
        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        var info = await connection.Identify.WaitAsync(_fixtures.Token);

        Assert.Equal(b.PeerId, info.PeerId);
        Assert.Equal("test-agent/1.2", info.AgentVersion);
        Assert.Equal("ipfs/0.1.0", info.ProtocolVersion);
        Assert.Contains(PingProtocol.ProtocolId, info.Protocols);
        Assert.Contains(IdentifyProtocol.ProtocolId, info.Protocols);
        Assert.Contains(EchoProtocol.ProtocolId, info.Protocols);
        Assert.Contains("/custom/1.0.0", info.Protocols);
        Assert.Contains(b.ListenAddresses[0], info.ListenAddresses);
        Assert.NotNull(info.ObservedAddress);
        Assert.Equal(info, await a.IdentifyAsync(b.PeerId, _fixtures.Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public async Task Echo_Payload_ComesBackByteForByte(int size)
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var payload = Pattern(size);

        var echoed = await EchoAsync(a, b.PeerId, payload, _fixtures.Token);

        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task NewStreamAsync_HundredConcurrentStreams_AllComplete()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        var echoes = Enumerable.Range(0, 100).Select(async i =>
        {
            var payload = Pattern(4096 + i);
            var echoed = await EchoAsync(a, b.PeerId, payload, _fixtures.Token);
            return payload.AsSpan().SequenceEqual(echoed);
        });

        Assert.All(await Task.WhenAll(echoes), Assert.True);
        Assert.Single(a.GetConnections(b.PeerId));
        Assert.Same(connection, a.GetConnection(b.PeerId));
    }

    [Fact]
    public async Task SetStreamHandler_UserProtocol_ReceivesStreamAndPeer()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var seen = new TaskCompletionSource<PeerId>();
        b.SetStreamHandler("/greet/1.0.0", async (stream, ct) =>
        {
            seen.TrySetResult(stream.RemotePeer);
            await stream.WriteAsync("hello"u8.ToArray(), ct);
        });
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        await using var stream = await a.NewStreamAsync(b.PeerId, ["/other/1.0.0", "/greet/1.0.0"], _fixtures.Token);
        var reply = new byte[5];
        await stream.ReadExactlyAsync(reply, _fixtures.Token);

        Assert.Equal("/greet/1.0.0", stream.Protocol);
        Assert.Equal("hello"u8.ToArray(), reply);
        Assert.Equal(a.PeerId, await seen.Task.WaitAsync(_fixtures.Token));
    }

    [Fact]
    public async Task NewStreamAsync_UnsupportedProtocol_FailsClearlyAndConnectionSurvives()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        var error = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => a.NewStreamAsync(b.PeerId, "/nope/1.0.0", _fixtures.Token));

        Assert.Contains("/nope/1.0.0", error.Message, StringComparison.Ordinal);
        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Handler_Throws_ResetsOnlyThatStream()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        b.SetStreamHandler("/boom/1.0.0", (_, _) => throw new InvalidOperationException("handler bug"));
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        // The reset may overtake the end of negotiation, so opening may fail as well as reading.
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var stream = await a.NewStreamAsync(b.PeerId, "/boom/1.0.0", _fixtures.Token);
            var buffer = new byte[1];
            while (await stream.ReadAsync(buffer, _fixtures.Token) > 0)
            {
            }
            throw new IOException("stream ended without a reset");
        });

        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task DialAsync_WrongPeerId_FailsWithMismatchAndListenerKeepsServing()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        using var impostor = KeyPair.GenerateEd25519();
        var wrong = b.ListenAddresses[0].Encapsulate("/p2p/" + impostor.PeerId);

        var error = await Assert.ThrowsAsync<PeerIdMismatchException>(() => a.DialAsync(wrong, _fixtures.Token));

        Assert.Contains(impostor.PeerId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(b.PeerId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(a.GetConnections(b.PeerId));
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Listener_GarbageClient_IsDroppedAndOtherConnectionsUnharmed()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var endpoint = HostFixtures.TcpEndPointOf(b);

        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            using var garbage = new TcpClient();
            await garbage.ConnectAsync(endpoint, _fixtures.Token);
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            var stream = garbage.GetStream();
            await stream.WriteAsync(bytes, _fixtures.Token);
            garbage.Client.Shutdown(SocketShutdown.Send); // A truncated message must end in EOF, not a wait.
            // The host must close the socket: read until EOF or reset.
            await HostFixtures.DrainUntilClosedAsync(stream, _fixtures.Token);
        }

        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
        Assert.DoesNotContain(b.GetConnections(), c => !c.RemotePeer.Equals(a.PeerId));
    }

    [Fact]
    public async Task DialAsync_PeerThatNeverAnswers_TimesOutWithClearError()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { Connections = { ConnectionTimeout = TimeSpan.FromMilliseconds(300) } });

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => a.DialAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}"), _fixtures.Token));

        Assert.Contains($"/ip4/127.0.0.1/tcp/{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteAbortsConnection_MidStream_ReaderGetsIOExceptionNotHang()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var handlerStarted = new TaskCompletionSource();
        b.SetStreamHandler("/hold/1.0.0", async (stream, ct) =>
        {
            handlerStarted.TrySetResult();
            stream.Connection.Abort();
            await Task.CompletedTask;
        });
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        // The abort may overtake the end of negotiation, so opening may fail as well as reading.
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var stream = await a.NewStreamAsync(b.PeerId, "/hold/1.0.0", _fixtures.Token);
            await handlerStarted.Task.WaitAsync(_fixtures.Token);
            var buffer = new byte[16];
            while (await stream.ReadAsync(buffer, _fixtures.Token) > 0)
            {
            }
            throw new IOException("ended cleanly instead of failing"); // Either way, no hang.
        });
    }

    [Fact]
    public async Task ConnectionClosed_RemoteHangsUp_ConnectionLeavesTable()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var closed = new TaskCompletionSource();
        a.ConnectionClosed += (_, _) => closed.TrySetResult();
        await _fixtures.ConnectAsync(a, b); // b registers its side a moment after a's dial returns.

        await b.HangUpAsync(a.PeerId);
        await closed.Task.WaitAsync(_fixtures.Token);

        Assert.Empty(a.GetConnections(b.PeerId));
        Assert.DoesNotContain(b.PeerId, a.ConnectedPeers);
    }

    [Fact]
    public async Task NewStreamAsync_NotConnectedButKnown_RedialsTheKnownAddress()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var first = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        var closed = new TaskCompletionSource();
        a.ConnectionClosed += (_, _) => closed.TrySetResult();
        await first.DisposeAsync();
        await closed.Task.WaitAsync(_fixtures.Token);

        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
        Assert.NotSame(first, a.GetConnection(b.PeerId));
    }

    [Fact]
    public async Task PingAsync_UnknownPeer_ThrowsPeerNotConnected()
    {
        var a = await _fixtures.StartHostAsync();
        using var stranger = KeyPair.GenerateEd25519();

        var error = await Assert.ThrowsAsync<PeerNotConnectedException>(() => a.PingAsync(stranger.PeerId, _fixtures.Token));

        Assert.Equal(stranger.PeerId, error.Peer);
    }

    [Fact]
    public async Task DisposeAsync_ConnectionRightAfterWrites_DeliversEveryByteAndTheFin()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        var results = Enumerable.Range(0, 10).Select(_ => new TaskCompletionSource<long>()).ToList();
        var unclaimed = new System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource<long>>(results);
        b.SetStreamHandler("/count/1.0.0", async (stream, ct) =>
        {
            Assert.True(unclaimed.TryDequeue(out var received));
            long total = 0;
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                }
                received.TrySetResult(total);
            }
            catch (IOException ex)
            {
                received.TrySetException(new IOException($"after {total} bytes: {ex.Message}", ex));
            }
        });

        // Several rounds: the close races the host's own clean-up of the ended session, which once cut the drain short.
        for (var round = 0; round < 10; round++)
        {
            var connection = await _fixtures.ConnectAsync(a, b);
            var stream = await a.NewStreamAsync(b.PeerId, "/count/1.0.0", _fixtures.Token);
            await stream.WriteAsync(new byte[1_000_000], _fixtures.Token); // four times the initial window
            await stream.DisposeAsync();
            await connection.DisposeAsync();
        }

        foreach (var received in results)
        {
            Assert.Equal(1_000_000, await received.Task.WaitAsync(_fixtures.Token));
        }
    }

    [Fact]
    public async Task IdentifyRequest_AnswerSplitOverTwoMessages_IsMerged()
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        // Like go-libp2p, which sends its signed peer record in a second message when the answer is large.
        b.SetStreamHandler(IdentifyProtocol.ProtocolId, async (stream, ct) =>
        {
            var first = new Net.Protocols.Identify.Protobuf.Identify
            {
                PublicKey = Google.Protobuf.ByteString.CopyFrom(b.Identity.PublicKey.ToProtobuf()),
                AgentVersion = "split-agent/1.0",
            };
            first.Protocols.Add("/first/1.0.0");
            var second = new Net.Protocols.Identify.Protobuf.Identify();
            second.Protocols.Add("/second/1.0.0");
            await Net.Protocols.LengthPrefixedMessage.WriteAsync(stream, Google.Protobuf.MessageExtensions.ToByteArray(first), ct);
            await Net.Protocols.LengthPrefixedMessage.WriteAsync(stream, Google.Protobuf.MessageExtensions.ToByteArray(second), ct);
        });
        var connection = await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);

        var info = await IdentifyProtocol.RequestAsync(connection, _fixtures.Token);

        Assert.Equal("split-agent/1.0", info.AgentVersion);
        Assert.Equal(["/first/1.0.0", "/second/1.0.0"], info.Protocols);
    }

    [Fact]
    public async Task Listener_SilentInboundClient_IsDroppedAfterInboundHandshakeTimeout()
    {
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { InboundHandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var silent = new TcpClient();
        await silent.ConnectAsync(HostFixtures.TcpEndPointOf(b), _fixtures.Token);

        // The host speaks first (multistream header) and then must give up on us: drain until it closes.
        await HostFixtures.DrainUntilClosedAsync(silent.GetStream(), _fixtures.Token);

        Assert.Empty(b.GetConnections());
    }

    [Fact]
    public async Task Listener_OverMaxInboundConnections_RefusesNewcomerAndKeepsExisting()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { MaxInboundConnections = 1 });
        var c = await _fixtures.StartHostAsync();
        await _fixtures.ConnectAsync(a, b);

        await Assert.ThrowsAnyAsync<IOException>(() => c.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token));

        Assert.True(await a.PingAsync(b.PeerId, _fixtures.Token) > TimeSpan.Zero);
        Assert.Single(b.GetConnections());
    }

    [Fact]
    public async Task AsDuplexPipe_EchoOverPipes_CompletingTheWriterHalfClosesTheStream()
    {
        var a = await _fixtures.StartHostAsync();
        var b = await _fixtures.StartHostAsync();
        await a.DialAsync(HostFixtures.AddressOf(b), _fixtures.Token);
        await using var stream = await a.NewStreamAsync(b.PeerId, EchoProtocol.ProtocolId, _fixtures.Token);
        var pipe = stream.AsDuplexPipe();

        await pipe.Output.WriteAsync("hello pipes"u8.ToArray(), _fixtures.Token);
        await pipe.Output.CompleteAsync(); // FIN: the echo server answers and closes its side
        var received = new List<byte>();
        while (true)
        {
            var result = await pipe.Input.ReadAsync(_fixtures.Token);
            foreach (var segment in result.Buffer)
            {
                received.AddRange(segment.ToArray());
            }
            pipe.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await pipe.Input.CompleteAsync();

        Assert.Equal("hello pipes"u8.ToArray(), received.ToArray());
    }

    internal static byte[] Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 31) + 7);
        }
        return bytes;
    }

    internal static Task<byte[]> EchoAsync(Libp2pHost from, PeerId to, byte[] payload, CancellationToken cancellationToken) =>
        EchoProtocol.EchoAsync(from, to, payload, cancellationToken);
}

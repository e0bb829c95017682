using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resilink.Net.Identity;
using Resilink.Net.Security.Noise;

namespace Resilink.Net.Tests.Security;

public class NoiseHandshakeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(NoiseSecureStream Client, NoiseSecureStream Server)> SecurePairAsync(
        Stream clientInner, Stream serverInner, KeyPair clientId, KeyPair serverId, PeerId? expected)
    {
        var serverTask = NoiseHandshake.SecureInboundAsync(serverInner, serverId).AsTask();
        var clientTask = NoiseHandshake.SecureOutboundAsync(clientInner, clientId, expected).AsTask();
        await Task.WhenAll(serverTask, clientTask).WaitAsync(Timeout);
        return (clientTask.Result, serverTask.Result);
    }

    private static async Task<(Stream Client, Stream Server, IDisposable Cleanup)> TcpPairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var acceptTask = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await acceptTask;
        listener.Stop();
        client.NoDelay = true;
        server.NoDelay = true;
        return (client.GetStream(), server.GetStream(), new Cleanup(client, server, listener));
    }

    private sealed class Cleanup(TcpClient a, TcpClient b, TcpListener l) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
            l.Dispose();
        }
    }

    [Fact]
    public async Task ReadAsync_AfterEverythingIsRead_HoldsNoReadBufferWhileIdle()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (c, s, cleanup) = await TcpPairAsync();
        using (cleanup)
        {
            var (client, server) = await SecurePairAsync(c, s, clientId, serverId, null);
            await using (client)
            await using (server)
            {
                var payload = new byte[200_000];
                await client.WriteAsync(payload);
                await server.ReadExactlyAsync(new byte[payload.Length]).AsTask().WaitAsync(Timeout);

                Assert.False(server.HoldsReadBuffer, "still holding the buffer after everything was read"); // idle costs no 256 KiB

                // A read that is waiting for data rents the buffer only when the data arrives, and returns it after.
                var pending = server.ReadAsync(new byte[10]).AsTask();
                await client.WriteAsync(new byte[10]);
                Assert.Equal(10, await pending.WaitAsync(Timeout));
                Assert.False(server.HoldsReadBuffer, "still holding the buffer after a small read drained it");
            }
        }
    }

    [Fact]
    public async Task SecureAsync_OverTcp_BothSidesLearnPeerIds()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (c, s, cleanup) = await TcpPairAsync();
        using (cleanup)
        {
            var (client, server) = await SecurePairAsync(c, s, clientId, serverId, serverId.PeerId);
            await using (client)
            await using (server)
            {
                Assert.Equal(serverId.PeerId, client.RemotePeer);
                Assert.Equal(clientId.PeerId, server.RemotePeer);
                Assert.Equal(serverId.PublicKey, client.RemotePublicKey);
                await RoundTripConcurrentAsync(client, server, 1);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public async Task WriteAsync_OverTcp_ConcurrentBothDirections_RoundTrips(int size)
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (c, s, cleanup) = await TcpPairAsync();
        using (cleanup)
        {
            var (client, server) = await SecurePairAsync(c, s, clientId, serverId, null);
            await using (client)
            await using (server)
            {
                await RoundTripConcurrentAsync(client, server, size);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    public async Task WriteAsync_InMemory_ConcurrentBothDirections_RoundTrips(int size)
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var (client, server) = await SecurePairAsync(a, b, clientId, serverId, serverId.PeerId);
        await using (client)
        await using (server)
        {
            Assert.Equal(serverId.PeerId, client.RemotePeer);
            Assert.Equal(clientId.PeerId, server.RemotePeer);
            await RoundTripConcurrentAsync(client, server, size);
        }
    }

    [Fact]
    public async Task ReadAsync_SmallReadBuffer_ServesFrameAcrossReads()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var (client, server) = await SecurePairAsync(a, b, clientId, serverId, null);
        await using (client)
        await using (server)
        {
            var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
            await client.WriteAsync(data);
            var received = new List<byte>();
            var small = new byte[7];
            while (received.Count < data.Length)
            {
                var n = await server.ReadAsync(small);
                Assert.True(n > 0);
                received.AddRange(small[..n]);
            }
            Assert.Equal(data, received.ToArray());

            // Sync API too.
            server.Write(data, 0, 10);
            var buf = new byte[10];
            client.ReadExactly(buf);
            Assert.Equal(data[..10], buf);
        }
    }

    [Fact]
    public async Task WriteAsync_LargeWrite_UsesMaximalFrames()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var recorder = new RecordingStream(a);
        var (client, server) = await SecurePairAsync(recorder, b, clientId, serverId, null);
        await using (client)
        await using (server)
        {
            recorder.Writes.Clear();
            await client.WriteAsync(new byte[(3 * NoiseSecureStream.MaxPlaintextPerFrame) + 5]);
            await client.FlushAsync(); // Writes are handed to a sender loop; flush waits until they reached the inner stream.

            // One inner write carrying 4 frames: three full (65535-byte messages) and one of 5 + 16 bytes.
            var write = Assert.Single(recorder.Writes);
            Assert.Equal((3 * 65537) + 2 + 21, write.Length);
            Assert.Equal(0xFF, write[0]);
            Assert.Equal(0xFF, write[1]);
        }
    }

    [Fact]
    public async Task SecureOutboundAsync_ExpectedPeerDiffers_ThrowsMismatchAndClosesInner()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        using var someoneElse = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();

        var serverTask = NoiseHandshake.SecureInboundAsync(b, serverId).AsTask();
        var ex = await Assert.ThrowsAsync<PeerIdMismatchException>(
            () => NoiseHandshake.SecureOutboundAsync(a, clientId, someoneElse.PeerId).AsTask().WaitAsync(Timeout));

        Assert.Contains(someoneElse.PeerId.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains(serverId.PeerId.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(serverId.PeerId, ex.Actual);
        Assert.True(a.IsDisposed);
        await Assert.ThrowsAnyAsync<IOException>(() => serverTask.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReadAsync_BitFlippedCiphertext_ThrowsAndStaysFailed()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var (client, server) = await SecurePairAsync(a, b, clientId, serverId, null);
        await using (client)
        await using (server)
        {
            a.CorruptNextWrite = true;
            await client.WriteAsync(new byte[100]);

            var buffer = new byte[200];
            await Assert.ThrowsAsync<NoiseHandshakeException>(() => server.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
            await Assert.ThrowsAnyAsync<IOException>(() => server.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task ReadAsync_PeerClosesInsideFrame_ThrowsEndOfStream()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var (client, server) = await SecurePairAsync(a, b, clientId, serverId, null);
        await using (server)
        {
            a.Write([0x00, 0x40, 1, 2, 3]); // header promises 64 bytes, only 3 follow
            a.Dispose();

            await Assert.ThrowsAsync<EndOfStreamException>(() => server.ReadAsync(new byte[100]).AsTask().WaitAsync(Timeout));
        }
        await client.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_PeerClosesBetweenFrames_ReturnsZero()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var (client, server) = await SecurePairAsync(a, b, clientId, serverId, null);
        await using (server)
        {
            await client.WriteAsync(new byte[] { 42 });
            await client.DisposeAsync();

            var buffer = new byte[10];
            Assert.Equal(1, await server.ReadAsync(buffer));
            Assert.Equal(0, await server.ReadAsync(buffer));
        }
    }

    [Fact]
    public async Task SecureInboundAsync_RandomOrTruncatedMessages_FailFastWithoutHanging()
    {
        using var serverId = KeyPair.GenerateEd25519();
        var random = new Random(99);
        for (var i = 0; i < 60; i++)
        {
            var (a, b) = InMemoryDuplexStream.CreatePair();
            var garbage = new byte[random.Next(0, 300)];
            random.NextBytes(garbage);
            if (i % 3 == 0 && garbage.Length >= 2)
            {
                // A plausible length header, then too few bytes.
                garbage[0] = 0;
                garbage[1] = (byte)Math.Min(255, garbage.Length + 10);
            }
            a.Write(garbage);
            a.CompleteWrites();
            var sw = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAnyAsync<IOException>(
                () => NoiseHandshake.SecureInboundAsync(b, serverId).AsTask().WaitAsync(Timeout));
            Assert.True(ex is NoiseHandshakeException or EndOfStreamException, ex.GetType().Name + ": " + ex.Message);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
            Assert.True(b.IsDisposed);
            a.Dispose();
        }
    }

    [Fact]
    public async Task SecureOutboundAsync_GarbageResponse_ThrowsNoiseHandshakeException()
    {
        using var clientId = KeyPair.GenerateEd25519();
        var random = new Random(5);
        for (var i = 0; i < 30; i++)
        {
            var (a, b) = InMemoryDuplexStream.CreatePair();
            var body = new byte[random.Next(0, 200)];
            random.NextBytes(body);
            b.Write([(byte)(body.Length >> 8), (byte)body.Length]);
            b.Write(body);
            await Assert.ThrowsAsync<NoiseHandshakeException>(
                () => NoiseHandshake.SecureOutboundAsync(a, clientId, null).AsTask().WaitAsync(Timeout));
            Assert.True(a.IsDisposed);
        }
    }

    [Fact]
    public async Task SecureInboundAsync_Cancelled_UnblocksAndClosesInner()
    {
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => NoiseHandshake.SecureInboundAsync(b, serverId, cts.Token).AsTask().WaitAsync(Timeout));

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        Assert.True(b.IsDisposed);
        a.Dispose();
    }

    [Fact]
    public async Task SecureOutboundAsync_CancelledOverTcp_Unblocks()
    {
        using var clientId = KeyPair.GenerateEd25519();
        var (c, s, cleanup) = await TcpPairAsync();
        using (cleanup)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => NoiseHandshake.SecureOutboundAsync(c, clientId, null, cts.Token).AsTask().WaitAsync(Timeout));
            GC.KeepAlive(s);
        }
    }

    [Fact]
    public async Task ReadAsync_EmptyFrameFromPeer_IsSkippedNotEndOfStream()
    {
        using var clientId = KeyPair.GenerateEd25519();
        using var serverId = KeyPair.GenerateEd25519();
        var (a, b) = InMemoryDuplexStream.CreatePair();
        var recorder = new RecordingStream(a);
        var (client, server) = await SecurePairAsync(recorder, b, clientId, serverId, null);
        await using (client)
        await using (server)
        {
            // Produce a genuine empty Noise frame by encrypting zero bytes with the client's send state.
            var send = (NoiseCipherState)typeof(NoiseSecureStream)
                .GetField("_send", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .GetValue(client)!;
            var frame = new byte[2 + NoiseCipherState.TagLength];
            frame[1] = NoiseCipherState.TagLength;
            send.EncryptWithAd(ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, frame.AsSpan(2));
            a.Write(frame);
            await client.WriteAsync(new byte[] { 7 });

            var buffer = new byte[4];
            Assert.Equal(1, await server.ReadAsync(buffer).AsTask().WaitAsync(Timeout));
            Assert.Equal(7, buffer[0]);
        }
    }

    private static async Task RoundTripConcurrentAsync(NoiseSecureStream client, NoiseSecureStream server, int size)
    {
        var toServer = new byte[size];
        var toClient = new byte[size];
        new Random(size).NextBytes(toServer);
        new Random(size + 1).NextBytes(toClient);

        var tasks = new[]
        {
            WriteAllAsync(client, toServer),
            WriteAllAsync(server, toClient),
            ReadAndCompareAsync(server, toServer),
            ReadAndCompareAsync(client, toClient),
        };
        await Task.WhenAll(tasks).WaitAsync(Timeout);
    }

    private static async Task WriteAllAsync(Stream stream, byte[] data)
    {
        // Mixed write sizes, like a muxer passing whole frames.
        var offset = 0;
        var chunk = 1;
        while (offset < data.Length)
        {
            var n = Math.Min(chunk, data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, n));
            offset += n;
            chunk = chunk >= 300_000 ? 1 : chunk * 7;
        }
        await stream.FlushAsync();
    }

    private static async Task ReadAndCompareAsync(Stream stream, byte[] expected)
    {
        var received = new byte[expected.Length];
        await stream.ReadExactlyAsync(received);
        Assert.Equal(expected, received);
    }

    private sealed class RecordingStream(Stream inner) : Stream
    {
        public List<byte[]> Writes { get; } = [];
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add(buffer.AsSpan(offset, count).ToArray());
            inner.Write(buffer, offset, count);
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return inner.WriteAsync(buffer, cancellationToken);
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

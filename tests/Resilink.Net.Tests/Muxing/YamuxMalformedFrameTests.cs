using System.Buffers.Binary;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Tests.TestSupport;

namespace Resilink.Net.Tests.Muxing;

/// <summary>A real session on one side and a hand-driven raw transport on the other.</summary>
public sealed class YamuxMalformedFrameTests
{
    private static CancellationTokenSource Timeout(int seconds = 10) => new(TimeSpan.FromSeconds(seconds));

    private static (YamuxSession Session, Stream Raw) CreateServerWithRawClient(YamuxOptions? options = null)
    {
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create();
        var session = new YamuxSession(transport, isInitiator: false, options);
        session.Start();
        return (session, raw);
    }

    private static byte[] Frame(byte type, ushort flags, uint streamId, uint length, byte version = 0, int payload = 0)
    {
        byte[] frame = new byte[12 + payload];
        frame[0] = version;
        frame[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), length);
        return frame;
    }

    /// <summary>Reads frames from the raw side until one of <paramref name="type"/> arrives; returns (flags, id, length).</summary>
    private static async Task<(ushort Flags, uint StreamId, uint Length)> ReadFrameOfTypeAsync(Stream raw, byte type, CancellationToken cancellationToken)
    {
        byte[] header = new byte[12];
        while (true)
        {
            await raw.ReadExactlyAsync(header, cancellationToken);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            if (header[1] == 0 && length > 0)
            {
                await raw.ReadExactlyAsync(new byte[length], cancellationToken);
            }

            if (header[1] == type)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), length);
            }
        }
    }

    private static async Task AssertProtocolErrorAsync(YamuxSession session, Stream raw, string expectedMessagePart, CancellationToken cancellationToken)
    {
        (_, _, uint code) = await ReadFrameOfTypeAsync(raw, 3, cancellationToken);
        await session.Completion.WaitAsync(cancellationToken);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, code);
        Assert.True(session.IsClosed);
        YamuxException reason = Assert.IsAssignableFrom<YamuxException>(session.CloseReason);
        Assert.Contains("protocol error", reason.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessagePart, reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLoop_BadVersion_ClosesWithProtocolError()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 2, flags: 1, streamId: 0, length: 1, version: 1), cts.Token);
        await AssertProtocolErrorAsync(session, raw, "version", cts.Token);
    }

    [Fact]
    public async Task ReadLoop_UnknownType_ClosesWithProtocolError()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 9, flags: 0, streamId: 0, length: 0), cts.Token);
        await AssertProtocolErrorAsync(session, raw, "type", cts.Token);
    }

    [Fact]
    public async Task ReadLoop_DataLargerThanReceiveWindow_ClosesWithProtocolError()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        const int oversized = YamuxOptions.SpecInitialWindowSize + 1;
        await raw.WriteAsync(Frame(type: 0, flags: 1, streamId: 1, length: oversized, payload: oversized), cts.Token);
        await AssertProtocolErrorAsync(session, raw, "window", cts.Token);
    }

    [Fact]
    public async Task ReadLoop_DataOnNeverOpenedStream_ClosesWithProtocolError()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 0, flags: 0, streamId: 5, length: 3, payload: 3), cts.Token);
        await AssertProtocolErrorAsync(session, raw, "never opened", cts.Token);
    }

    [Fact]
    public async Task ReadLoop_SynWithOwnParity_ClosesWithProtocolError()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 1, flags: 1, streamId: 2, length: 0), cts.Token); // server ids are even
        await AssertProtocolErrorAsync(session, raw, "parity", cts.Token);
    }

    [Fact]
    public async Task ReadLoop_WindowUpdateWithSyn_AcceptsStreamAndAcks()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        byte[] frames = [.. Frame(type: 1, flags: 1, streamId: 1, length: 0), .. Frame(type: 0, flags: 4, streamId: 1, length: 2), 0xAB, 0xCD];
        await raw.WriteAsync(frames, cts.Token);

        (ushort flags, uint id, _) = await ReadFrameOfTypeAsync(raw, 1, cts.Token);
        await using YamuxStream stream = await session.AcceptStreamAsync(cts.Token);
        byte[] data = await YamuxTestPair.ReadToEndAsync(stream, cts.Token);

        Assert.Equal(2, flags); // ACK
        Assert.Equal(1u, id);
        Assert.Equal([0xAB, 0xCD], data);
        Assert.False(session.IsClosed);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task ReadLoop_PingSyn_RepliesWithAckEchoingOpaqueValue()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 2, flags: 1, streamId: 0, length: 0xDEADBEEF), cts.Token);

        (ushort flags, uint _, uint opaque) = await ReadFrameOfTypeAsync(raw, 2, cts.Token);
        while (flags != 2)
        {
            // Skip the session's own RTT probe (SYN) if it comes first.
            (flags, _, opaque) = await ReadFrameOfTypeAsync(raw, 2, cts.Token);
        }

        Assert.Equal(0xDEADBEEFu, opaque);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task ReadLoop_GoAwayWithProtocolError_ClosesSession()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 3, flags: 0, streamId: 0, length: 1), cts.Token);
        await session.Completion.WaitAsync(cts.Token);
        Assert.Contains("GoAway", session.CloseReason!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLoop_EofInsideHeader_ClosesWithConnectionClosed()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(new byte[5], cts.Token);
        await raw.DisposeAsync();
        await session.Completion.WaitAsync(cts.Token);
        Assert.IsAssignableFrom<IOException>(session.CloseReason);
        Assert.Contains("closed", session.CloseReason!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLoop_InboundStreamsOverBacklog_ExtraStreamReset()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient(new YamuxOptions { MaxPendingInboundStreams = 1 });
        byte[] twoSyns = [.. Frame(type: 1, flags: 1, streamId: 1, length: 0), .. Frame(type: 1, flags: 1, streamId: 3, length: 0)];
        await raw.WriteAsync(twoSyns, cts.Token);

        (ushort flags, uint id, _) = await ReadFrameOfTypeAsync(raw, 1, cts.Token);
        while (id != 3)
        {
            (flags, id, _) = await ReadFrameOfTypeAsync(raw, 1, cts.Token);
        }

        Assert.Equal(8, flags); // RST
        await using YamuxStream accepted = await session.AcceptStreamAsync(cts.Token);
        Assert.Equal(1u, accepted.Id);
        Assert.False(session.IsClosed);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task ReadLoop_DataAfterLocalReset_IgnoredAndAnsweredWithRst()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        await raw.WriteAsync(Frame(type: 1, flags: 1, streamId: 1, length: 0), cts.Token);
        YamuxStream stream = await session.AcceptStreamAsync(cts.Token);
        stream.Reset();

        byte[] data = Frame(type: 0, flags: 0, streamId: 1, length: 100, payload: 100);
        await raw.WriteAsync(data, cts.Token);
        await raw.WriteAsync(data, cts.Token);
        // One RST from Reset(), then one per discarded data frame: seeing all three proves both frames were processed.
        int resets = 0;
        while (resets < 3)
        {
            (ushort flags, uint id, _) = await ReadFrameOfTypeAsync(raw, 1, cts.Token);
            if ((flags & 8) != 0)
            {
                Assert.Equal(1u, id);
                resets++;
            }
        }

        Assert.False(session.IsClosed);
        Assert.Equal(0, session.ActiveStreamCount);
        await session.DisposeAsync();
    }

    [Fact]
    public async Task ReadLoop_DataWithSynGoStyle_AcceptsStreamWithPayload()
    {
        using var cts = Timeout();
        (YamuxSession session, Stream raw) = CreateServerWithRawClient();
        byte[] frame = Frame(type: 0, flags: 1 | 4, streamId: 3, length: 4, payload: 4);
        frame.AsSpan(12).Fill(0x5A);
        await raw.WriteAsync(frame, cts.Token);

        await using YamuxStream stream = await session.AcceptStreamAsync(cts.Token);
        byte[] data = await YamuxTestPair.ReadToEndAsync(stream, cts.Token);

        Assert.Equal(3u, stream.Id);
        Assert.Equal([0x5A, 0x5A, 0x5A, 0x5A], data);
        await session.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task ReadLoop_RandomBytes_SessionEndsCleanlyWithoutHanging(int seed)
    {
        using var cts = Timeout();
        var random = new Random(seed);
        for (int round = 0; round < 25; round++)
        {
            (YamuxSession session, Stream raw) = CreateServerWithRawClient();
            Task drain = YamuxTestPair.ReadToEndAsync(raw, cts.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            byte[] noise = new byte[random.Next(1, 4096)];
            random.NextBytes(noise);
            if (random.Next(2) == 0)
            {
                noise[0] = 0; // valid version: let the fuzz reach the deeper validation paths
                noise[1] = (byte)random.Next(4);
            }

            try
            {
                await raw.WriteAsync(noise, cts.Token);
            }
            catch (IOException)
            {
                // The session already closed its side.
            }

            await raw.DisposeAsync();
            await session.Completion.WaitAsync(cts.Token);

            Assert.True(session.IsClosed);
            Assert.IsAssignableFrom<IOException>(session.CloseReason);
            await Assert.ThrowsAsync<YamuxException>(async () => await session.AcceptStreamAsync(cts.Token));
            await session.DisposeAsync();
            await drain.WaitAsync(cts.Token);
        }
    }
}

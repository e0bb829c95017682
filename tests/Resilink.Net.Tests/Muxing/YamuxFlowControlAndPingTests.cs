using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Tests.TestSupport;

namespace Resilink.Net.Tests.Muxing;

public sealed class YamuxFlowControlAndPingTests
{
    [Fact]
    public async Task ReadAsync_FastConsumerWithKnownRtt_ReceiveWindowGrowsToMax()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(); // frozen clock: every window update looks "faster than 2 RTT"
        (Stream a, Stream b) = DuplexPipeStreamPair.Create();
        var options = new YamuxOptions { MaxWindowSize = 4 * 1024 * 1024 };
        await using var client = new YamuxSession(a, isInitiator: true, options, timeProvider: time);
        await using var server = new YamuxSession(b, isInitiator: false, options, timeProvider: time);
        client.Start();
        server.Start();
        await client.PingAsync(cts.Token);
        await server.PingAsync(cts.Token);

        byte[] data = new byte[16 * 1024 * 1024];
        new Random(3).NextBytes(data);
        Task<YamuxStream> accept = server.AcceptStreamAsync(cts.Token).AsTask();
        await using YamuxStream stream = await client.OpenStreamAsync(cts.Token);
        Task write = Task.Run(async () =>
        {
            await stream.WriteAsync(data, cts.Token);
            await stream.CloseWriteAsync(cts.Token);
        });
        await using YamuxStream accepted = await accept;
        byte[] received = await YamuxTestPair.ReadToEndAsync(accepted, cts.Token);
        await write;

        Assert.True(data.AsSpan().SequenceEqual(received));
        Assert.Equal(options.MaxWindowSize, accepted.ReceiveWindowSize);
    }

    [Fact]
    public async Task ReadAsync_SessionWindowBudgetSpent_OtherStreamsStayAtTheirWindowAndBudgetReturnsOnClose()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create();
        // Room for exactly one doubling (256 KiB -> 512 KiB) across the whole session.
        var options = new YamuxOptions { MaxSessionWindowGrowth = YamuxOptions.SpecInitialWindowSize };
        await using var session = new YamuxSession(transport, isInitiator: false, options);
        session.Start();
        await raw.WriteAsync(Syn(1), cts.Token);
        await raw.WriteAsync(Syn(3), cts.Token);
        YamuxStream first = await session.AcceptStreamAsync(cts.Token);
        YamuxStream second = await session.AcceptStreamAsync(cts.Token);

        await SendAndReadInStepsAsync(raw, first, cts.Token);
        await SendAndReadInStepsAsync(raw, second, cts.Token);

        Assert.Equal(2 * YamuxOptions.SpecInitialWindowSize, first.ReceiveWindowSize);
        Assert.Equal(YamuxOptions.SpecInitialWindowSize, second.ReceiveWindowSize); // budget spent by the first
        Assert.Equal(YamuxOptions.SpecInitialWindowSize, session.WindowGrowth);

        first.Reset();
        Assert.Equal(0, session.WindowGrowth);
        session.Abort();
    }

    [Fact]
    public async Task ReadAsync_ConsumerKeepsUpWithoutRtt_ReceiveWindowGrows()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (Stream raw, YamuxSession session, YamuxStream stream) = await AcceptFromRawPeerAsync(cts.Token);
        await using var _ = session;

        await SendAndReadInStepsAsync(raw, stream, cts.Token);

        Assert.Equal(2 * YamuxOptions.SpecInitialWindowSize, stream.ReceiveWindowSize);
    }

    [Fact]
    public async Task ReadAsync_ConsumerLagsBehind_ReceiveWindowStaysInitial()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (Stream raw, YamuxSession session, YamuxStream stream) = await AcceptFromRawPeerAsync(cts.Token);
        await using var _ = session;

        // 250,000 bytes arrive at once; the reader takes only 140,000. When half the window has been read, at least
        // 110,000 bytes still wait unread, so the reader is the bottleneck and a larger window would only buffer more.
        await raw.WriteAsync(DataFrame(streamId: 1, 250_000), cts.Token);
        await stream.ReadExactlyAsync(new byte[140_000], cts.Token);

        Assert.Equal(YamuxOptions.SpecInitialWindowSize, stream.ReceiveWindowSize);
    }

    /// <summary>A session whose remote is a raw stream that never answers the RTT probe, with one stream opened by it.</summary>
    private static async Task<(Stream Raw, YamuxSession Session, YamuxStream Stream)> AcceptFromRawPeerAsync(CancellationToken cancellationToken)
    {
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create();
        var session = new YamuxSession(transport, isInitiator: false);
        session.Start();
        byte[] syn = new byte[12];
        syn[1] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(syn.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(syn.AsSpan(4), 1);
        await raw.WriteAsync(syn, cancellationToken);
        YamuxStream stream = await session.AcceptStreamAsync(cancellationToken);
        return (raw, session, stream);
    }

    /// <summary>
    /// Sends 160,000 bytes in four frames, reading each completely before the next is sent: when the window update
    /// falls due (half the window read) nothing is left unread, so the reader provably keeps up, however slow the machine.
    /// </summary>
    private static async Task SendAndReadInStepsAsync(Stream raw, YamuxStream stream, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 4; i++)
        {
            await raw.WriteAsync(DataFrame(stream.Id, 40_000), cancellationToken);
            await stream.ReadExactlyAsync(new byte[40_000], cancellationToken);
        }
    }

    private static byte[] Syn(uint streamId)
    {
        byte[] syn = new byte[12];
        syn[1] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(syn.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(syn.AsSpan(4), streamId);
        return syn;
    }

    private static byte[] DataFrame(uint streamId, int length)
    {
        byte[] frame = new byte[12 + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)length);
        return frame;
    }

    [Fact]
    public async Task WriteAsync_SendWindowExhausted_WaitsUntilWindowUpdate()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create(bufferBytes: 64 * 1024 * 1024);
        await using var session = new YamuxSession(transport, isInitiator: true);
        session.Start();
        await using YamuxStream stream = await session.OpenStreamAsync(cts.Token);

        Task write = stream.WriteAsync(new byte[YamuxOptions.SpecInitialWindowSize + 10], cts.Token).AsTask();
        long dataBytes = 0;
        byte[] header = new byte[12];
        while (dataBytes < YamuxOptions.SpecInitialWindowSize)
        {
            await raw.ReadExactlyAsync(header, cts.Token);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            if (header[1] == 0)
            {
                Assert.InRange(length, 1u, 65507u);
                await raw.ReadExactlyAsync(new byte[length], cts.Token);
                dataBytes += length;
            }
        }

        Assert.Equal(YamuxOptions.SpecInitialWindowSize, dataBytes);
        Assert.False(write.IsCompleted);
        byte[] update = new byte[12];
        update[1] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(update.AsSpan(4), stream.Id);
        BinaryPrimitives.WriteUInt32BigEndian(update.AsSpan(8), 10);
        await raw.WriteAsync(update, cts.Token);
        await write.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task PingAsync_PeerNeverAnswers_ThrowsTimeoutAfterPingTimeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var time = new FakeTimeProvider();
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create();
        await using var session = new YamuxSession(transport, isInitiator: true, new YamuxOptions { PingTimeout = TimeSpan.FromSeconds(3) }, timeProvider: time);
        session.Start();

        Task<TimeSpan> ping = session.PingAsync(cts.Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAsync<TimeoutException>(() => ping.WaitAsync(cts.Token));
        Assert.False(session.IsClosed);
        GC.KeepAlive(raw);
    }

    [Fact]
    public async Task KeepAlive_PeerNeverAnswers_SessionClosesWithTimeoutReason()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create();
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(20), PingTimeout = TimeSpan.FromMilliseconds(200) };
        await using var session = new YamuxSession(transport, isInitiator: true, options);
        session.Start();

        await session.Completion.WaitAsync(cts.Token);

        Assert.Contains("keep-alive", session.CloseReason!.Message, StringComparison.Ordinal);
        GC.KeepAlive(raw);
    }
}

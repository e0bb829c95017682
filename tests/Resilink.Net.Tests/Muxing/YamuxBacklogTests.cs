using System.Buffers.Binary;
using Resilink.Net.Muxing.Yamux;
using Resilink.Net.Tests.TestSupport;
using Resilink.Tests.Shared;

namespace Resilink.Net.Tests.Muxing;

/// <summary>A peer that writes but never reads must not be able to grow our control queue without bound.</summary>
public sealed class YamuxBacklogTests
{
    // With few streams allowed, the backlog bound is MaxControlBacklog itself (it grows with the stream limits).
    private static readonly YamuxOptions SmallStreamLimits = new() { MaxConcurrentStreams = 16 };

    [Fact]
    public async Task PingFlood_PeerNeverReads_RepliesDroppedAndSessionStaysOpen()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create(bufferBytes: 1024);
        var logger = new CapturingLogger<YamuxSession>();
        await using var session = new YamuxSession(transport, isInitiator: false, SmallStreamLimits, logger);
        session.Start();

        // The write completes once the session has consumed all but ~1 KiB of it, i.e. processed far more than
        // MaxControlBacklog pings whose replies cannot be delivered.
        var count = YamuxSession.MaxControlBacklog + 2000;
        var pings = new byte[12 * count];
        for (var i = 0; i < count; i++)
        {
            WriteHeader(pings.AsSpan(i * 12), type: 2, flags: 1, streamId: 0, length: (uint)i); // Ping SYN
        }
        await raw.WriteAsync(pings, cts.Token);

        Assert.Contains(logger.Entries, e => e.Message.Contains("Dropping a Yamux ping reply", StringComparison.Ordinal));
        Assert.False(session.IsClosed);
        session.Abort(); // a graceful close would wait for a peer that never reads
    }

    [Fact]
    public async Task SynFlood_PeerNeverReads_SessionClosesWithClearReason()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (Stream raw, Stream transport) = DuplexPipeStreamPair.Create(bufferBytes: 1024);
        await using var session = new YamuxSession(transport, isInitiator: false, SmallStreamLimits);
        session.Start();

        // Every SYN is answered (ACK, or RST over the stream limits); none of the answers can be delivered.
        var count = YamuxSession.MaxControlBacklog + 2000;
        var syns = new byte[12 * count];
        for (var i = 0; i < count; i++)
        {
            WriteHeader(syns.AsSpan(i * 12), type: 1, flags: 1, streamId: (uint)((2 * i) + 1), length: 0);
        }
        // Once the session gives up it stops reading, so this write may never finish: don't wait for it.
        var flood = Task.Run(async () =>
        {
            try
            {
                await raw.WriteAsync(syns, cts.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });

        await session.Completion.WaitAsync(cts.Token);
        Assert.Contains("not reading", session.CloseReason!.Message, StringComparison.Ordinal);
        await cts.CancelAsync();
        await flood;
    }

    private static void WriteHeader(Span<byte> destination, byte type, ushort flags, uint streamId, uint length)
    {
        destination[0] = 0;
        destination[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], streamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], length);
    }
}

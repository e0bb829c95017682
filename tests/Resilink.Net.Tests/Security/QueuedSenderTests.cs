using System.Buffers;
using Resilink.Net.Security.Noise;

namespace Resilink.Net.Tests.Security;

public sealed class QueuedSenderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendAsync_MixOfInlineAndQueuedBuffers_ArriveInOrder()
    {
        var inner = new GatedRecordingStream { Gate = null };
        var sender = new QueuedSender(inner, depth: 2, inlineThreshold: 16);

        for (var i = 0; i < 200; i++)
        {
            var length = i % 3 == 0 ? 8 : 100; // small ones may go inline, large ones always queue
            await sender.SendAsync(Rent(length, (byte)i), length, CancellationToken.None);
        }
        await sender.FlushAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), inner.Writes.Select(w => w[0]));
    }

    [Fact]
    public async Task SendAsync_SmallBufferWhileLargeOneIsStillSending_WaitsItsTurn()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new GatedRecordingStream { Gate = gate.Task };
        var sender = new QueuedSender(inner, depth: 2, inlineThreshold: 16);

        await sender.SendAsync(Rent(100, 1), 100, CancellationToken.None); // queued, blocked in the inner write
        var small = sender.SendAsync(Rent(8, 2), 8, CancellationToken.None).AsTask(); // must not overtake it

        Assert.Empty(inner.Writes);
        gate.SetResult();
        await small.WaitAsync(Timeout);
        await sender.FlushAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.Equal(new byte[] { 1, 2 }, inner.Writes.Select(w => w[0]));
    }

    [Fact]
    public async Task FlushAsync_QueuedBufferNotYetWritten_CompletesOnlyAfterTheWrite()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new GatedRecordingStream { Gate = gate.Task };
        var sender = new QueuedSender(inner, depth: 2, inlineThreshold: 0);
        await sender.SendAsync(Rent(100, 7), 100, CancellationToken.None);

        var flush = sender.FlushAsync(CancellationToken.None).AsTask();
        Assert.False(flush.IsCompleted);
        gate.SetResult();

        await flush.WaitAsync(Timeout);
        Assert.Single(inner.Writes);
    }

    [Fact]
    public async Task SendAsync_AfterInnerWriteFailed_ThrowsIOExceptionNamingTheCause()
    {
        var inner = new GatedRecordingStream { Failure = new IOException("broken pipe") };
        var sender = new QueuedSender(inner, depth: 2, inlineThreshold: 0);

        await sender.SendAsync(Rent(100, 1), 100, CancellationToken.None); // queued; the loop's write fails
        await sender.Completion.WaitAsync(Timeout);
        var error = await Assert.ThrowsAsync<IOException>(() => sender.SendAsync(Rent(100, 2), 100, CancellationToken.None).AsTask());

        Assert.Contains("broken pipe", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(() => sender.FlushAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Complete_WithBuffersQueued_SendsThemAllThenEnds()
    {
        var inner = new GatedRecordingStream();
        var sender = new QueuedSender(inner, depth: 4, inlineThreshold: 0);
        for (var i = 0; i < 4; i++)
        {
            await sender.SendAsync(Rent(50, (byte)i), 50, CancellationToken.None);
        }

        sender.Complete();
        await sender.Completion.WaitAsync(Timeout);

        Assert.Equal(4, inner.Writes.Count);
        await Assert.ThrowsAsync<IOException>(() => sender.SendAsync(Rent(50, 9), 50, CancellationToken.None).AsTask());
    }

    private static byte[] Rent(int length, byte marker)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        buffer.AsSpan(0, length).Fill(marker);
        return buffer;
    }

    /// <summary>Records each write; optionally waits on a gate first, or fails.</summary>
    private sealed class GatedRecordingStream : Stream
    {
        private readonly Lock _gate = new();
        private readonly List<byte[]> _writes = [];

        public Task? Gate { get; init; }

        public Exception? Failure { get; init; }

        public IReadOnlyList<byte[]> Writes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _writes];
                }
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }
            if (Gate is not null)
            {
                await Gate.WaitAsync(cancellationToken);
            }
            lock (_gate)
            {
                _writes.Add(buffer.ToArray());
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

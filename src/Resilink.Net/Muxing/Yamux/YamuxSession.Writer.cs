using System.Buffers;
using System.Threading.Channels;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>Outbound side: the transport write lock, data frames and the control-frame queue.</summary>
/// <remarks>
/// Why an async lock rather than a single writer loop fed by a channel: data frames are written directly by the
/// calling stream. An uncontended <see cref="SemaphoreSlim.WaitAsync(CancellationToken)"/> completes synchronously
/// without allocating, so a single busy stream pays no queue hop, no extra thread switch per frame and no second copy;
/// contended waiters are served FIFO, so streams interleave fairly frame by frame. Flow-control waits happen
/// before the lock is taken, so a writer blocked on a zero send window never holds the lock.
/// Control frames (window updates, ACK, FIN, RST, ping replies) are enqueued on an unbounded channel drained by
/// one small loop that batches them into a single transport write. Thus the read loop and <see cref="YamuxStream"/>
/// reads never wait for the transport (a read loop blocked on a write can deadlock two peers whose TCP buffers are full),
/// and control frames never queue behind a writer stuck on flow control.
/// </remarks>
public sealed partial class YamuxSession
{
    private const int MaxControlBatch = 64;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<YamuxFrameHeader> _control;
    private int _controlBacklog; // frames queued on _control (its single-reader form cannot count)

    /// <summary>
    /// Control frames queued before we conclude the peer has stopped reading. Nearly every control frame answers
    /// something the peer sent (a ping, a SYN, data on a closed stream), so without a bound a peer that writes but
    /// never reads could grow this queue until we run out of memory.
    /// </summary>
    internal const int MaxControlBacklog = 4096;

    /// <summary>
    /// The backlog bound in force: at least <see cref="MaxControlBacklog"/>, and room for a few frames (ACK, window
    /// updates, FIN) per stream the limits allow, so a busy but healthy session at its stream limits is never mistaken
    /// for a peer that stopped reading.
    /// </summary>
    private int ControlBacklogLimit => Math.Max(MaxControlBacklog, 4 * 2 * _options.MaxConcurrentStreams);

    /// <summary>
    /// Queues a control frame (no payload) without waiting. Returns false once the session is closed.
    /// Over <see cref="MaxControlBacklog"/>, ping replies are dropped (as go-yamux does) and anything else ends the session.
    /// </summary>
    internal bool EnqueueControl(YamuxFrameHeader header)
    {
        if (Volatile.Read(ref _controlBacklog) >= ControlBacklogLimit)
        {
            if (header.Type == YamuxFrameType.Ping && header.Flags.HasFlag(YamuxFrameFlags.Ack))
            {
                Log.PingReplyDropped(_logger, ControlBacklogLimit);
                return true;
            }

            Close(new YamuxException($"The peer is not reading: more than {ControlBacklogLimit} control frames are waiting to be sent."));
            return false;
        }

        Interlocked.Increment(ref _controlBacklog);
        if (_control.Writer.TryWrite(header))
        {
            return true;
        }

        Interlocked.Decrement(ref _controlBacklog);
        return false;
    }

    /// <summary>
    /// Writes one complete frame — header and payload — with a single transport write from a pooled buffer, under the write lock.
    /// <paramref name="cancellationToken"/> only cancels waiting for the lock (a half-written frame would corrupt the session),
    /// unless <paramref name="cancelTransportWrite"/> is set for best-effort writes during shutdown.
    /// </summary>
    internal async ValueTask WriteFrameAsync(YamuxFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, bool cancelTransportWrite = false)
    {
        int total = YamuxFrameHeader.Size + payload.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            header.Write(buffer);
            payload.Span.CopyTo(buffer.AsSpan(YamuxFrameHeader.Size));
            await WriteLockedAsync(buffer.AsMemory(0, total), cancelTransportWrite, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="payload"/> as consecutive Data frames of at most <see cref="YamuxOptions.MaxFrameSize"/> bytes,
    /// all in one transport write. Batching matters under an encrypting transport: four 64 KiB frames become four Noise
    /// frames in one socket write instead of four writes, which halves the kernel time per byte on loopback.
    /// The caller has reserved send window for the whole payload.
    /// </summary>
    internal async ValueTask WriteDataFramesAsync(uint streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        int maxFrame = Options.MaxFrameSize;
        int frames = (payload.Length + maxFrame - 1) / maxFrame;
        int total = payload.Length + (frames * YamuxFrameHeader.Size);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            int offset = 0;
            ReadOnlySpan<byte> remaining = payload.Span;
            while (!remaining.IsEmpty)
            {
                int size = Math.Min(remaining.Length, maxFrame);
                new YamuxFrameHeader(YamuxFrameType.Data, YamuxFrameFlags.None, streamId, (uint)size).Write(buffer.AsSpan(offset));
                remaining[..size].CopyTo(buffer.AsSpan(offset + YamuxFrameHeader.Size));
                offset += YamuxFrameHeader.Size + size;
                remaining = remaining[size..];
            }

            await WriteLockedAsync(buffer.AsMemory(0, total), cancelTransportWrite: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask WriteLockedAsync(ReadOnlyMemory<byte> frames, bool cancelTransportWrite, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            CancellationToken writeToken = _closeCts.Token;
            CancellationTokenSource? linked = null;
            if (cancelTransportWrite && cancellationToken.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(writeToken, cancellationToken);
                writeToken = linked.Token;
            }

            try
            {
                await _transport.WriteAsync(frames, writeToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not YamuxException)
            {
                Close(new YamuxException("Writing to the Yamux transport failed.", ex));
                throw CreateClosedException();
            }
            finally
            {
                linked?.Dispose();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Drains the control queue, batching up to <see cref="MaxControlBatch"/> headers per transport write.</summary>
    private async Task ControlWriterLoopAsync()
    {
        ChannelReader<YamuxFrameHeader> reader = _control.Reader;
        byte[] batch = new byte[MaxControlBatch * YamuxFrameHeader.Size];
        CancellationToken token = _closeCts.Token;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                int count = 0;
                while (count < MaxControlBatch && reader.TryRead(out YamuxFrameHeader header))
                {
                    header.Write(batch.AsSpan(count * YamuxFrameHeader.Size));
                    count++;
                }

                Interlocked.Add(ref _controlBacklog, -count);

                await _writeLock.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    await _transport.WriteAsync(batch.AsMemory(0, count * YamuxFrameHeader.Size), token).ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
#pragma warning disable CA1031 // Background loop: every failure ends the session instead of escaping unobserved.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!IsClosed)
            {
                Close(new YamuxException("Writing to the Yamux transport failed.", ex));
            }
        }
        finally
        {
            _controlWriterStopped.TrySetResult();
        }
    }
}

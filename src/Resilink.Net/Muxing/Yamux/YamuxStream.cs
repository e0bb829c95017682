using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>
/// One logical Yamux stream. Reads return 0 after the remote half-closed (FIN); reads and writes throw
/// <see cref="YamuxStreamResetException"/> after a reset (either side) or when the session ends.
/// </summary>
/// <remarks>
/// One reader and one writer may use the stream concurrently; concurrent reads (or concurrent writes) are not supported.
/// <see cref="Stream.Dispose()"/> sends FIN if not yet sent and abandons the read side without waiting.
/// </remarks>
public sealed partial class YamuxStream : Stream
{
    private readonly YamuxSession _session;
    private readonly Pipe _receive;
    private Exception? _readError;
    private Exception? _writeError;
    private volatile bool _finReceived;
    private int _finSent;
    private int _reset;
    private bool _resetByRemote;
    private int _disposed;
    private int _readBusy;
    private bool _receiveWriterCompleted;

    internal YamuxStream(YamuxSession session, uint id)
    {
        _session = session;
        Id = id;
        _sendWindow = YamuxOptions.SpecInitialWindowSize;
        _recvWindow = session.Options.InitialWindowSize;
        _recvCredit = _recvWindow;
        _epochStart = session.Time.GetTimestamp();

        // The read loop must never block on a stream: flow control already bounds what can be buffered,
        // so the pipe never pauses the writer. Reader continuations run on the thread pool, never on the read loop.
        _receive = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.ThreadPool,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false));
    }

    /// <summary>The Yamux stream id (odd: opened by the connection initiator; even: by the responder).</summary>
    public uint Id { get; }

    /// <inheritdoc />
    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc />
    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>No-op: every write is handed to the transport as a complete frame.</summary>
    public override void Flush()
    {
    }

    /// <summary>No-op: every write is handed to the transport as a complete frame.</summary>
    /// <param name="cancellationToken">Ignored.</param>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Half-closes the stream: sends FIN; reads keep working until the remote closes or resets.</summary>
    /// <param name="cancellationToken">Unused; the FIN is queued without waiting.</param>
    public ValueTask CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _writeError) is { } error)
        {
            return ValueTask.FromException(error);
        }

        SendFin();
        return ValueTask.CompletedTask;
    }

    /// <summary>Resets the stream: sends RST; local reads and writes then throw <see cref="YamuxStreamResetException"/>.</summary>
    public void Reset()
    {
        if (Fail(new YamuxStreamResetException($"Yamux stream {Id} was reset locally.")))
        {
            _session.EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Rst, Id, 0));
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Reads received data; returns 0 once the remote sent FIN and all data was read.</summary>
    /// <param name="buffer">Destination.</param>
    /// <param name="cancellationToken">Cancels the wait for data.</param>
    /// <exception cref="YamuxStreamResetException">The stream was reset or the session ended.</exception>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _readBusy, 1, 0) != 0)
        {
            return ValueTask.FromException<int>(Volatile.Read(ref _disposed) != 0
                ? new ObjectDisposedException(GetType().FullName)
                : new InvalidOperationException("Concurrent reads on a Yamux stream are not supported."));
        }

        return ReadCoreAsync(buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        PipeReader reader = _receive.Reader;
        try
        {
            while (true)
            {
                ThrowIfCannotRead();
                if (buffer.IsEmpty)
                {
                    return 0;
                }

                ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> data = result.Buffer;
                if (Volatile.Read(ref _readError) is not null || Volatile.Read(ref _disposed) != 0)
                {
                    reader.AdvanceTo(data.Start);
                    ThrowIfCannotRead();
                }

                if (data.IsEmpty)
                {
                    reader.AdvanceTo(data.End);
                    if (result.IsCompleted)
                    {
                        return 0;
                    }

                    continue;
                }

                int count = (int)Math.Min(data.Length, buffer.Length);
                data.Slice(0, count).CopyTo(buffer.Span);
                reader.AdvanceTo(data.GetPosition(count));
                OnConsumed(count);
                return count;
            }
        }
        finally
        {
            // _readBusy: 0 idle, 1 reading, 2 reader completed (after dispose).
            if (Volatile.Read(ref _disposed) != 0)
            {
                if (Interlocked.Exchange(ref _readBusy, 2) != 2)
                {
                    _receive.Reader.Complete();
                }
            }
            else
            {
                Volatile.Write(ref _readBusy, 0);
                if (Volatile.Read(ref _disposed) != 0 && Interlocked.CompareExchange(ref _readBusy, 2, 0) == 0)
                {
                    _receive.Reader.Complete();
                }
            }
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(rented);
            WriteAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>
    /// Writes data as Data frames of at most min(<see cref="YamuxOptions.MaxFrameSize"/>, send window) bytes,
    /// waiting asynchronously while the send window is exhausted.
    /// </summary>
    /// <param name="buffer">Data to send.</param>
    /// <param name="cancellationToken">Cancels waiting for send window or the transport lock (never a half-written frame).</param>
    /// <exception cref="YamuxStreamResetException">The stream was reset or the session ended.</exception>
    /// <exception cref="YamuxException">The write side was already closed with <see cref="CloseWriteAsync"/>.</exception>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfCannotWrite();
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }

        return buffer.IsEmpty ? ValueTask.CompletedTask : WriteCoreAsync(buffer, cancellationToken);
    }

    /// <summary>Data frames written per transport write at most; bounds how long one stream holds the write lock.</summary>
    private const int FramesPerWrite = 4;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        // Up to FramesPerWrite frames go out in one transport write (see YamuxSession.WriteDataFramesAsync).
        int maxBatch = _session.Options.MaxFrameSize * FramesPerWrite;
        while (!buffer.IsEmpty)
        {
            int size = await ReserveSendWindowAsync(Math.Min(buffer.Length, maxBatch), cancellationToken).ConfigureAwait(false);
            try
            {
                await _session.WriteDataFramesAsync(Id, buffer[..size], cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled while waiting for the transport lock: the frame was not sent.
                OnWindowUpdate((uint)size);
                throw;
            }
            catch (YamuxException ex) when (ex is not YamuxStreamResetException)
            {
                // The session closed underneath us; report it the same way as every other stream operation does.
                throw Volatile.Read(ref _writeError)
                    ?? new YamuxStreamResetException($"Yamux stream {Id} failed because the session closed: {ex.Message}", _session.CloseReason ?? ex);
            }

            buffer = buffer[size..];
        }
    }

    /// <summary>Sends FIN (if not yet sent) and abandons the read side; does not wait for the peer.</summary>
    /// <param name="disposing">Whether called from Dispose.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (Volatile.Read(ref _reset) == 0 && Volatile.Read(ref _writeError) is null)
            {
                SendFin();
            }

            _receive.Reader.CancelPendingRead();
            WakeWriters();
            if (Interlocked.CompareExchange(ref _readBusy, 2, 0) == 0)
            {
                _receive.Reader.Complete();
            }

            // Unread data the peer still sends is discarded by the session, which answers it with RST.
            _session.RemoveStream(this);
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"YamuxStream({Id})";

    /// <summary>Whether the read loop should still buffer data for this stream.</summary>
    internal bool IsReceiving => !_finReceived && Volatile.Read(ref _readError) is null && Volatile.Read(ref _disposed) == 0;

    /// <summary>The receive pipe's writer; only the session read loop uses it.</summary>
    internal PipeWriter ReceiveWriter => _receive.Writer;

    /// <summary>Remote FIN (read loop): reads drain the buffer, then return 0.</summary>
    internal void OnRemoteFin()
    {
        if (_finReceived)
        {
            return;
        }

        _finReceived = true;
        CompleteReceiveWriter();
        if (Volatile.Read(ref _finSent) != 0)
        {
            _session.RemoveStream(this);
        }
    }

    /// <summary>Gets a value indicating whether the remote peer reset the stream (a passive health signal).</summary>
    internal bool WasResetByRemote => Volatile.Read(ref _resetByRemote);

    /// <summary>Remote RST (read loop).</summary>
    internal void OnRemoteReset()
    {
        Volatile.Write(ref _resetByRemote, true);
        Fail(new YamuxStreamResetException($"Yamux stream {Id} was reset by the remote peer."));
        CompleteReceiveWriter();
    }

    /// <summary>The session ended: fail whatever is still open with a reset exception carrying the reason.</summary>
    internal void OnSessionClosed(Exception reason)
    {
        var error = new YamuxStreamResetException($"Yamux stream {Id} failed because the session closed: {reason.Message}", reason);
        if (!_finReceived)
        {
            Interlocked.CompareExchange(ref _readError, error, null);
        }

        Interlocked.CompareExchange(ref _writeError, error, null);
        _receive.Reader.CancelPendingRead();
        WakeWriters();
    }

    /// <summary>Fails and removes the stream without sending anything (open or accept did not complete).</summary>
    internal void AbortSilently() => Fail(new YamuxStreamResetException($"Yamux stream {Id} could not be opened."));

    /// <summary>Completes the receive pipe's writer; read loop thread only (or after the read loop ended).</summary>
    internal void CompleteReceiveWriter()
    {
        if (!_receiveWriterCompleted)
        {
            _receiveWriterCompleted = true;
            _receive.Writer.Complete();
        }
    }

    private bool Fail(YamuxStreamResetException error)
    {
        if (Interlocked.Exchange(ref _reset, 1) != 0)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _readError, error, null);
        Interlocked.CompareExchange(ref _writeError, error, null);
        _receive.Reader.CancelPendingRead();
        WakeWriters();
        _session.RemoveStream(this);
        return true;
    }

    private void SendFin()
    {
        if (Interlocked.Exchange(ref _finSent, 1) != 0)
        {
            return;
        }

        _session.EnqueueControl(new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFrameFlags.Fin, Id, 0));
        if (_finReceived)
        {
            _session.RemoveStream(this);
        }
    }

    private void ThrowIfCannotRead()
    {
        if (Volatile.Read(ref _readError) is { } error)
        {
            throw error;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    private void ThrowIfCannotWrite()
    {
        if (Volatile.Read(ref _writeError) is { } error)
        {
            throw error;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _finSent) != 0)
        {
            throw new YamuxException($"Yamux stream {Id}: the write side is closed (FIN sent).");
        }
    }
}

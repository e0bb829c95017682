using System.Buffers;
using Resilink.Net.Identity;

namespace Resilink.Net.Security.Noise;

/// <summary>
/// A Noise transport channel over an inner stream. Each write is split into frames of at most
/// <see cref="MaxPlaintextPerFrame"/> bytes, each sent as a 2-byte big-endian length plus ciphertext;
/// reads decrypt one frame at a time. One reader and one writer may run concurrently.
/// Disposing closes the inner stream.
/// </summary>
public sealed class NoiseSecureStream : Stream
{
    /// <summary>Largest Noise message (ciphertext + tag) on the wire.</summary>
    public const int MaxFrameLength = 65535;

    /// <summary>Largest plaintext carried in one frame.</summary>
    public const int MaxPlaintextPerFrame = MaxFrameLength - NoiseCipherState.TagLength;

    private const int HeaderLength = 2;
    private const int MaxWireFrame = HeaderLength + MaxFrameLength;
    /// <summary>
    /// Read buffer: several frames per receive syscall, and exactly a pool bucket size (a few bytes more would round
    /// the rental up to 512 KiB). Rented only while a connection has unread bytes; idle connections hold none.
    /// </summary>
    private const int ReadBufferLength = 256 * 1024;
    private const int FramesPerWrite = 4;

    /// <summary>Encrypted batches (of up to <see cref="FramesPerWrite"/> frames) waiting for the socket: 2 x 256 KiB at most.</summary>
    private const int SendQueueDepth = 2;

    /// <summary>Batches up to this size go straight to the socket when nothing is queued (pings, requests, window updates).</summary>
    private const int InlineSendThreshold = 16 * 1024;

    /// <summary>
    /// How long a graceful dispose waits for the send queue to make progress. The wait starts over after every batch
    /// sent, so a slow peer still gets all its data; a peer that stopped reading costs at most this per queued batch.
    /// </summary>
    private static readonly TimeSpan DrainStallTimeout = TimeSpan.FromSeconds(5);

    private readonly Stream _inner;
    private readonly NoiseCipherState _send;
    private readonly NoiseCipherState _receive;
    private readonly Lock _bufferLock = new();
    private readonly QueuedSender _sender;

    // Read side: raw bytes live in [_rawStart, _rawEnd); decrypted plaintext waiting for the caller in [_plainStart, _plainEnd).
    private byte[]? _readBuffer;
    private int _rawStart;
    private int _rawEnd;
    private int _plainStart;
    private int _plainEnd;
    private bool _readInProgress;
    private Exception? _writeFault;
    private Exception? _readFault;
    private bool _disposed;
    private long _bytesRead;
    private long _bytesWritten;

    internal NoiseSecureStream(
        Stream inner,
        NoiseCipherState send,
        NoiseCipherState receive,
        PeerId remotePeer,
        PublicKey remotePublicKey,
        IReadOnlyList<string>? remoteStreamMuxers = null,
        string? earlyMuxer = null)
    {
        RemoteStreamMuxers = remoteStreamMuxers ?? [];
        EarlyMuxer = earlyMuxer;
        _inner = inner;
        _send = send;
        _receive = receive;
        RemotePeer = remotePeer;
        RemotePublicKey = remotePublicKey;
        _sender = new QueuedSender(inner, SendQueueDepth, InlineSendThreshold);
    }

    /// <summary>The authenticated remote peer.</summary>
    public PeerId RemotePeer { get; }

    /// <summary>The remote identity key proven in the handshake.</summary>
    public PublicKey RemotePublicKey { get; }

    /// <summary>
    /// The stream muxers the remote listed in its handshake payload (<c>extensions.stream_muxers</c>), in its order;
    /// empty when it listed none.
    /// </summary>
    public IReadOnlyList<string> RemoteStreamMuxers { get; }

    /// <summary>
    /// The stream muxer chosen during the handshake (inlined muxer negotiation): the first of the initiator's
    /// offered muxers that the responder also offered. Null when either side offered none, in which case the
    /// muxer must be negotiated with multistream-select over this stream.
    /// </summary>
    public string? EarlyMuxer { get; }

    /// <summary>Plaintext bytes delivered to readers so far (read by the health monitor for bandwidth).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Plaintext bytes accepted from writers so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed;

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

    /// <inheritdoc />
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Completes when every byte written so far has been handed to the inner stream, and that stream flushed.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _sender.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            // useAsync: false completes synchronously, using only the inner stream's synchronous Read.
            var task = ReadCoreAsync(rented.AsMemory(0, buffer.Length), useAsync: false, CancellationToken.None);
            var n = task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
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
        return ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: true, cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, useAsync: true, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        // Writes only queue encrypted frames for the sender loop, so blocking here is short and cannot deadlock a reader.
        var task = WriteCoreAsync(buffer.AsMemory(offset, count), CancellationToken.None);
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
        }
        else
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(rented);
            Write(rented, 0, buffer.Length);
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
        return WriteCoreAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(buffer, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && MarkDisposed())
        {
            _sender.Complete();
            _inner.Dispose(); // Abrupt: a send in flight fails and the sender returns its buffers.
            ReleaseAfterDispose();
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (MarkDisposed())
        {
            // Graceful: let queued frames (a Yamux go-away, the last data) reach the socket, but not forever.
            _sender.Complete();
            await DrainSenderAsync().ConfigureAwait(false);
            await _inner.DisposeAsync().ConfigureAwait(false);
            ReleaseAfterDispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private async Task DrainSenderAsync()
    {
        var completion = _sender.Completion;
        while (!completion.IsCompleted)
        {
            var sent = _sender.CompletedSends;
            try
            {
                await completion.WaitAsync(DrainStallTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException) when (_sender.CompletedSends == sent)
            {
                return; // No progress: the peer stopped reading. Closing the inner stream ends the send.
            }
            catch (TimeoutException)
            {
                // Still moving, just slowly: keep waiting.
            }
        }
    }

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writeFault is not null)
        {
            throw new IOException("The Noise stream failed earlier and cannot be written: " + _writeFault.Message, _writeFault);
        }
        Interlocked.Add(ref _bytesWritten, data.Length);
        while (!data.IsEmpty)
        {
            // One batch of up to FramesPerWrite frames per buffer; the sender owns (and returns) each buffer.
            var batchPlaintext = Math.Min(data.Length, FramesPerWrite * MaxPlaintextPerFrame);
            var frames = (batchPlaintext + MaxPlaintextPerFrame - 1) / MaxPlaintextPerFrame;
            var buffer = ArrayPool<byte>.Shared.Rent(batchPlaintext + (frames * (HeaderLength + NoiseCipherState.TagLength)));
            var used = 0;
            try
            {
                for (var i = 0; i < frames; i++)
                {
                    var chunk = Math.Min(data.Length, MaxPlaintextPerFrame);
                    var frameLength = chunk + NoiseCipherState.TagLength;
                    buffer[used] = (byte)(frameLength >> 8);
                    buffer[used + 1] = (byte)frameLength;
                    _send.EncryptWithAd(ReadOnlySpan<byte>.Empty, data.Span[..chunk], buffer.AsSpan(used + HeaderLength, frameLength));
                    used += HeaderLength + frameLength;
                    data = data[chunk..];
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer); // disposed underneath us: the sender never took it
                throw;
            }
            try
            {
                await _sender.SendAsync(buffer, used, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                // These frames consumed nonces; the peer can never decrypt what follows them, so the stream is done.
                _writeFault = ex;
                throw;
            }
        }
    }

    private async ValueTask<int> ReadCoreAsync(Memory<byte> destination, bool useAsync, CancellationToken cancellationToken)
    {
        var buffer = BeginRead();
        try
        {
            if (destination.IsEmpty)
            {
                return 0;
            }
            if (buffer is not null && _plainEnd > _plainStart)
            {
                return CopyPlaintext(buffer, destination.Span);
            }
            buffer ??= await AcquireReadBufferAsync(useAsync, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (!await FillAsync(buffer, HeaderLength, allowCleanEof: true, useAsync, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }
                var frameLength = (buffer[_rawStart] << 8) | buffer[_rawStart + 1];
                if (frameLength < NoiseCipherState.TagLength)
                {
                    throw Fault(new NoiseHandshakeException($"Noise transport frame of {frameLength} bytes is shorter than the authentication tag."));
                }
                await FillAsync(buffer, HeaderLength + frameLength, allowCleanEof: false, useAsync, cancellationToken).ConfigureAwait(false);
                var cipherStart = _rawStart + HeaderLength;
                var ciphertext = buffer.AsSpan(cipherStart, frameLength);
                var plainLength = frameLength - NoiseCipherState.TagLength;
                _rawStart += HeaderLength + frameLength;
                try
                {
                    if (plainLength == 0)
                    {
                        // An empty frame is legal; authenticate it and keep reading (0 would mean end of stream).
                        _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, ciphertext, ciphertext);
                        continue;
                    }
                    if (plainLength <= destination.Length)
                    {
                        // Decrypt straight into the caller's buffer: no extra copy.
                        return _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, ciphertext, destination.Span);
                    }
                    _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, ciphertext, ciphertext);
                }
                catch (NoiseHandshakeException ex)
                {
                    throw Fault(ex);
                }
                _plainStart = cipherStart;
                _plainEnd = cipherStart + plainLength;
                return CopyPlaintext(buffer, destination.Span);
            }
        }
        finally
        {
            EndRead();
        }
    }

    private int CopyPlaintext(byte[] buffer, Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _plainEnd - _plainStart);
        buffer.AsSpan(_plainStart, n).CopyTo(destination);
        _plainStart += n;
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    /// <summary>Ensures <paramref name="needed"/> raw bytes are buffered from <c>_rawStart</c>; false on a clean EOF.</summary>
    private async ValueTask<bool> FillAsync(byte[] buffer, int needed, bool allowCleanEof, bool useAsync, CancellationToken cancellationToken)
    {
        if (_rawEnd - _rawStart >= needed)
        {
            return true;
        }
        // Plaintext is always fully consumed before we read more, so the front of the buffer is free.
        if (_rawStart + needed > ReadBufferLength)
        {
            var pending = _rawEnd - _rawStart;
            Buffer.BlockCopy(buffer, _rawStart, buffer, 0, pending);
            _rawStart = 0;
            _rawEnd = pending;
        }
        while (_rawEnd - _rawStart < needed)
        {
            var free = buffer.AsMemory(_rawEnd, ReadBufferLength - _rawEnd);
            var n = useAsync
                ? await _inner.ReadAsync(free, cancellationToken).ConfigureAwait(false)
                : _inner.Read(free.Span);
            if (n == 0)
            {
                if (allowCleanEof && _rawEnd == _rawStart)
                {
                    return false;
                }
                throw Fault(new EndOfStreamException(
                    $"The connection ended inside a Noise frame ({_rawEnd - _rawStart} of {needed} bytes received)."));
            }
            _rawEnd += n;
        }
        return true;
    }

    /// <summary>
    /// Waits for data with a zero-byte read (sockets support it; other streams just return), then rents the buffer:
    /// thousands of idle connections then cost no read buffers at all, as in Kestrel.
    /// </summary>
    private async ValueTask<byte[]> AcquireReadBufferAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (useAsync)
        {
            await _inner.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferLength);
        lock (_bufferLock)
        {
            _readBuffer = buffer;
            _rawStart = _rawEnd = _plainStart = _plainEnd = 0;
        }
        return buffer;
    }

    /// <summary>Whether a read buffer is currently rented (for tests: idle streams hold none).</summary>
    internal bool HoldsReadBuffer
    {
        get
        {
            lock (_bufferLock)
            {
                return _readBuffer is not null;
            }
        }
    }

    private byte[]? BeginRead()
    {
        lock (_bufferLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_readFault is not null)
            {
                throw new IOException("The Noise stream failed earlier and cannot be read: " + _readFault.Message, _readFault);
            }
            if (_readInProgress)
            {
                throw new InvalidOperationException("NoiseSecureStream supports only one concurrent reader.");
            }
            _readInProgress = true;
            return _readBuffer;
        }
    }

    private void EndRead()
    {
        byte[]? toReturn = null;
        var disposedDuringRead = false;
        lock (_bufferLock)
        {
            _readInProgress = false;
            var drained = _rawStart == _rawEnd && _plainStart == _plainEnd;
            disposedDuringRead = _disposed;
            if (_readBuffer is not null && (_disposed || drained))
            {
                toReturn = _readBuffer;
                _readBuffer = null;
            }
        }
        if (toReturn is not null)
        {
            ArrayPool<byte>.Shared.Return(toReturn);
        }
        if (disposedDuringRead)
        {
            _receive.Dispose(); // Deferred by ReleaseAfterDispose while this read was running.
        }
    }

    private Exception Fault(Exception ex)
    {
        _readFault = ex;
        return ex;
    }

    private bool MarkDisposed()
    {
        lock (_bufferLock)
        {
            if (_disposed)
            {
                return false;
            }
            _disposed = true;
            return true;
        }
    }

    private void ReleaseAfterDispose()
    {
        byte[]? toReturn = null;
        var readerDone = false;
        lock (_bufferLock)
        {
            if (!_readInProgress)
            {
                readerDone = true;
                toReturn = _readBuffer;
                _readBuffer = null;
            }
        }
        if (toReturn is not null)
        {
            ArrayPool<byte>.Shared.Return(toReturn);
        }
        _send.Dispose();
        if (readerDone)
        {
            _receive.Dispose(); // Otherwise EndRead does it, so a read in progress never decrypts with a dead key.
        }
    }
}

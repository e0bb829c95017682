namespace Resilink.Net.Tests.Security;

/// <summary>One direction of an in-memory byte pipe.</summary>
internal sealed class ByteChannel : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<byte[]> _chunks = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _offsetInHead;
    private bool _completed;

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_completed)
            {
                throw new IOException("The pipe is closed.");
            }
            _chunks.Enqueue(data.ToArray());
        }
        _signal.Release();
    }

    public void Dispose() => _signal.Dispose();

    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }
        _signal.Release();
    }

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_chunks.Count > 0)
                {
                    var head = _chunks.Peek();
                    var n = Math.Min(destination.Length, head.Length - _offsetInHead);
                    head.AsSpan(_offsetInHead, n).CopyTo(destination.Span);
                    _offsetInHead += n;
                    if (_offsetInHead == head.Length)
                    {
                        _chunks.Dequeue();
                        _offsetInHead = 0;
                    }
                    return n;
                }
                if (_completed)
                {
                    _signal.Release(); // keep waking other waiters
                    return 0;
                }
            }
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>An in-memory full-duplex stream; disposing it ends both directions.</summary>
internal sealed class InMemoryDuplexStream : Stream
{
    private readonly ByteChannel _incoming;
    private readonly ByteChannel _outgoing;
    private int _disposed;

    private InMemoryDuplexStream(ByteChannel incoming, ByteChannel outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Bit flips applied to the next outgoing write (test hook).</summary>
    public bool CorruptNextWrite { get; set; }

    public static (InMemoryDuplexStream A, InMemoryDuplexStream B) CreatePair()
    {
        var ab = new ByteChannel();
        var ba = new ByteChannel();
        return (new InMemoryDuplexStream(ba, ab), new InMemoryDuplexStream(ab, ba));
    }

    public override bool CanRead => !IsDisposed;
    public override bool CanWrite => !IsDisposed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return await _incoming.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (CorruptNextWrite && buffer.Length > 0)
        {
            CorruptNextWrite = false;
            var copy = buffer.ToArray();
            copy[^1] ^= 0x01;
            _outgoing.Write(copy);
            return;
        }
        _outgoing.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Half-close: the peer reads end-of-stream, while writes from the peer are still accepted.</summary>
    public void CompleteWrites() => _outgoing.Complete();

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _outgoing.Complete();
            _incoming.Complete();
        }
        base.Dispose(disposing);
    }
}

using System.IO.Pipelines;
using Resilink.Net.Identity;
using Resilink.Net.Muxing.Yamux;

namespace Resilink.Net.Swarm;

/// <summary>
/// A negotiated protocol stream on a <see cref="Libp2pConnection"/>: an ordinary .NET <see cref="Stream"/>
/// plus half-close (<see cref="CloseWriteAsync"/>) and <see cref="Reset"/>.
/// Disposing closes the stream gracefully; <see cref="Reset"/> aborts it.
/// </summary>
public sealed class Libp2pStream : Stream
{
    private readonly YamuxStream _inner;
    private int _outstanding; // 1 while an outbound stream counts in its connection's load stats

    internal Libp2pStream(YamuxStream inner, string protocol, Libp2pConnection connection, bool outbound = false)
    {
        _inner = inner;
        Protocol = protocol;
        Connection = connection;
        _outstanding = outbound ? 1 : 0;
    }

    /// <summary>The protocol negotiated for this stream, for example <c>/echo/1.0.0</c>.</summary>
    public string Protocol { get; }

    /// <summary>The connection the stream runs on.</summary>
    public Libp2pConnection Connection { get; }

    /// <summary>The peer at the other end.</summary>
    public PeerId RemotePeer => Connection.RemotePeer;

    /// <inheritdoc />
    public override bool CanRead => _inner.CanRead;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => _inner.CanWrite;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// A System.IO.Pipelines view of this stream, for code written against <see cref="PipeReader"/>/<see cref="PipeWriter"/>.
    /// Completing the writer half-closes the stream (FIN); the stream itself stays open until disposed.
    /// </summary>
    public IDuplexPipe AsDuplexPipe() => new StreamDuplexPipe(
        PipeReader.Create(this, new StreamPipeReaderOptions(leaveOpen: true)),
        PipeWriter.Create(new HalfClosingWriteStream(this), new StreamPipeWriterOptions(leaveOpen: false)));

    /// <summary>Closes our write side (sends FIN); the remote's data can still be read.</summary>
    public ValueTask CloseWriteAsync(CancellationToken cancellationToken = default) => _inner.CloseWriteAsync(cancellationToken);

    /// <summary>Aborts the stream in both directions (sends RST).</summary>
    public void Reset()
    {
        _inner.Reset();
        Release();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        Release();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            Release();
        }
        base.Dispose(disposing);
    }

    /// <summary>Stops counting this stream as outstanding on its connection (once).</summary>
    private void Release()
    {
        if (Interlocked.Exchange(ref _outstanding, 0) == 1)
        {
            Connection.Stats.OnStreamClosed();
            if (_inner.WasResetByRemote)
            {
                Connection.ReportFailure("stream_reset", $"Stream {_inner.Id} ({Protocol}) was reset by the remote peer.");
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Protocol} on {Connection.Id} to {RemotePeer}";

    private sealed record StreamDuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The write half of a <see cref="Libp2pStream"/>: disposing it sends FIN instead of closing the stream.</summary>
    private sealed class HalfClosingWriteStream(Libp2pStream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override async ValueTask DisposeAsync()
        {
            await inner.CloseWriteAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.CloseWriteAsync().AsTask().GetAwaiter().GetResult();
            }
            base.Dispose(disposing);
        }
    }
}

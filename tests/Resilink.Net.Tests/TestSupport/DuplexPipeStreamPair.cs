using System.Buffers;
using System.IO.Pipelines;

namespace Resilink.Net.Tests.TestSupport;

/// <summary>Two connected in-memory duplex streams: what one writes, the other reads. Disposing one side gives the other EOF.</summary>
internal static class DuplexPipeStreamPair
{
    public static (Stream First, Stream Second) Create(long bufferBytes = 1024 * 1024)
    {
        var options = new PipeOptions(pauseWriterThreshold: bufferBytes, resumeWriterThreshold: bufferBytes / 2, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);
        var aToB = new Pipe(options);
        var bToA = new Pipe(options);
        return (new DuplexPipeStream(bToA.Reader, aToB.Writer), new DuplexPipeStream(aToB.Reader, bToA.Writer));
    }

    private sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
    {
        private int _disposed;

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            while (true)
            {
                ReadResult result = await input.ReadAsync(cancellationToken);
                if (result.IsCanceled || Volatile.Read(ref _disposed) != 0)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    throw new ObjectDisposedException(nameof(DuplexPipeStream));
                }

                if (result.Buffer.IsEmpty)
                {
                    input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        return 0;
                    }

                    continue;
                }

                int count = (int)Math.Min(result.Buffer.Length, buffer.Length);
                result.Buffer.Slice(0, count).CopyTo(buffer.Span);
                input.AdvanceTo(result.Buffer.GetPosition(count));
                return count;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            FlushResult result = await output.WriteAsync(buffer, cancellationToken);
            if (result.IsCanceled || result.IsCompleted)
            {
                throw new IOException("The peer closed the in-memory connection.");
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                output.CancelPendingFlush();
                output.Complete();
                input.CancelPendingRead();
            }

            base.Dispose(disposing);
        }
    }
}

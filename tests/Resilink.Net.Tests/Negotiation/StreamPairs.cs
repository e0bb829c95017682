using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Resilink.Net.Tests.Negotiation;

/// <summary>Connected duplex stream pairs for tests.</summary>
internal static class StreamPairs
{
    public static (Stream A, Stream B) InMemory()
    {
        var ab = new Pipe();
        var ba = new Pipe();
        return (new DuplexPipeStream(ba.Reader.AsStream(), ab.Writer.AsStream()),
                new DuplexPipeStream(ab.Reader.AsStream(), ba.Writer.AsStream()));
    }

    public static async Task<(Stream A, Stream B)> LoopbackAsync(CancellationToken ct)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync(ct).AsTask();
        await client.ConnectAsync(listener.LocalEndPoint!, ct);
        var server = await accept;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public static async Task<(Stream A, Stream B)> CreateAsync(string kind, CancellationToken ct) =>
        kind == "socket" ? await LoopbackAsync(ct) : InMemory();

    private sealed class DuplexPipeStream(Stream reader, Stream writer) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => reader.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reader.ReadAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => writer.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            writer.WriteAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                writer.Dispose();
                reader.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Reads from a fixed script (then EOF) and records every write separately.</summary>
internal sealed class ScriptedStream(byte[] script) : Stream
{
    private readonly MemoryStream _input = new(script);

    public List<byte[]> Writes { get; } = [];
    public int Flushes { get; private set; }
    public long ReadPosition => _input.Position;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => Flushes++;
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return Task.CompletedTask;
    }
    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_input.Read(buffer.Span));
    public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writes.Add(buffer.ToArray());
        return ValueTask.CompletedTask;
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public byte[] AllWritten() => Writes.SelectMany(w => w).ToArray();
}

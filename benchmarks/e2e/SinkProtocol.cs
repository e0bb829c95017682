using System.Buffers;
using System.Buffers.Binary;
using Resilink.Net.Host;

namespace Resilink.E2e;

/// <summary>
/// <c>/resilink/sink/1.0.0</c>, as served by interop/js/lib.mjs: the receiver reads until EOF and answers with the
/// byte count as an 8-byte big-endian integer.
/// </summary>
internal static class SinkProtocol
{
    public const string ProtocolId = "/resilink/sink/1.0.0";
    private const int ChunkSize = 256 * 1024;

    public static void Register(Libp2pHost host) => host.SetStreamHandler(ProtocolId, async (stream, ct) =>
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        var reply = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(reply, total);
        await stream.WriteAsync(reply, ct);
        await stream.CloseWriteAsync(ct);
    });

    /// <summary>Sends <paramref name="bytes"/> bytes and returns the receiver's acknowledged count.</summary>
    public static async Task<long> SendAsync(Stream stream, long bytes, Func<Stream, ValueTask> closeWrite, CancellationToken cancellationToken)
    {
        var chunk = new byte[ChunkSize];
        Random.Shared.NextBytes(chunk);
        var remaining = bytes;
        while (remaining > 0)
        {
            var n = (int)Math.Min(chunk.Length, remaining);
            await stream.WriteAsync(chunk.AsMemory(0, n), cancellationToken);
            remaining -= n;
        }
        await closeWrite(stream);
        var reply = new byte[8];
        await stream.ReadExactlyAsync(reply, cancellationToken);
        return BinaryPrimitives.ReadInt64BigEndian(reply);
    }
}

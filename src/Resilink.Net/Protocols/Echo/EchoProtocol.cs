using System.Buffers;

namespace Resilink.Net.Protocols.Echo;

/// <summary><c>/echo/1.0.0</c>: everything read is written back; the write side closes after the read side ends.</summary>
public static class EchoProtocol
{
    /// <summary>The protocol ID.</summary>
    public const string ProtocolId = "/echo/1.0.0";

    private const int BufferSize = 64 * 1024;

    /// <summary>Echoes <paramref name="stream"/> until the remote half-closes it.</summary>
    internal static async Task RespondAsync(Swarm.Libp2pStream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

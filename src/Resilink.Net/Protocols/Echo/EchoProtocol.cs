using System.Buffers;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Net.Protocols.Echo;

/// <summary><c>/echo/1.0.0</c>: everything read is written back; the write side closes after the read side ends.</summary>
public static class EchoProtocol
{
    /// <summary>The protocol ID.</summary>
    public const string ProtocolId = "/echo/1.0.0";

    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="peer"/> over <c>/echo/1.0.0</c> and returns what came back.
    /// Writing and reading overlap, so payloads larger than the flow-control windows do not deadlock.
    /// </summary>
    /// <exception cref="InvalidDataException">The peer closed the stream before echoing everything, or sent more.</exception>
    public static async Task<byte[]> EchoAsync(Libp2pHost host, PeerId peer, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        await using var stream = await host.NewStreamAsync(peer, ProtocolId, cancellationToken).ConfigureAwait(false);
        var send = SendThenCloseAsync(stream, payload, cancellationToken);
        var received = new byte[payload.Length];
        try
        {
            var read = await stream.ReadAtLeastAsync(received, received.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < received.Length)
            {
                throw new InvalidDataException($"{peer} echoed {read} of {received.Length} bytes, then closed the stream.");
            }
            if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new InvalidDataException($"{peer} echoed more than the {received.Length} bytes sent.");
            }
        }
        finally
        {
            await send.ConfigureAwait(false); // observe the writer whether or not reading succeeded
        }
        return received;
    }

    private static async Task SendThenCloseAsync(Swarm.Libp2pStream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await Task.Yield(); // let the caller start reading before a large write blocks on the send window
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

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

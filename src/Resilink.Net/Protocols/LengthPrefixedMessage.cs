using Resilink.Net.Encoding;

namespace Resilink.Net.Protocols;

/// <summary>
/// Reads and writes uvarint-length-prefixed messages, the framing libp2p protocols such as identify use.
/// The length is checked against a bound before anything is allocated.
/// </summary>
public static class LengthPrefixedMessage
{
    /// <summary>Reads one message of at most <paramref name="maxLength"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The announced length exceeds <paramref name="maxLength"/>.</exception>
    /// <exception cref="EndOfStreamException">The stream ended before the message was complete.</exception>
    public static async ValueTask<byte[]> ReadAsync(Stream stream, int maxLength, CancellationToken cancellationToken = default) =>
        await ReadOrEndAsync(stream, maxLength, cancellationToken).ConfigureAwait(false)
        ?? throw new EndOfStreamException("The stream ended before a message arrived.");

    /// <summary>Reads one message, or returns null if the stream ends cleanly before it starts.</summary>
    /// <exception cref="InvalidDataException">The announced length exceeds <paramref name="maxLength"/>.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside the message.</exception>
    public static async ValueTask<byte[]?> ReadOrEndAsync(Stream stream, int maxLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (await Varint.ReadOrEndAsync(stream, cancellationToken).ConfigureAwait(false) is not { } length)
        {
            return null;
        }
        if (length > (ulong)maxLength)
        {
            throw new InvalidDataException($"Message of {length} bytes exceeds the limit of {maxLength} bytes.");
        }
        var message = new byte[(int)length];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>Writes <paramref name="message"/> with its length prefix in a single write, then flushes.</summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefixLength = Varint.GetByteCount((ulong)message.Length);
        var buffer = new byte[prefixLength + message.Length];
        Varint.Write((ulong)message.Length, buffer);
        message.Span.CopyTo(buffer.AsSpan(prefixLength));
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

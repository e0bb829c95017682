using Resilink.Net.Protocols;

namespace Resilink.Net.Messaging;

/// <summary>
/// <c>/resilink/message/1.0.0</c>, one message per stream: the sender writes a varint-length-prefixed UTF-8 type and a
/// varint-length-prefixed payload and closes its side; the receiver answers one <see cref="Ack"/> byte once its
/// handler has taken the message, then closes. A receiver that cannot take it resets the stream.
/// </summary>
internal static class MessageWireFormat
{
    public const string ProtocolId = "/resilink/message/1.0.0";
    public const int MaxTypeBytes = 128;
    public const byte Ack = 0x06;

    public static void ValidateType(string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (System.Text.Encoding.UTF8.GetByteCount(type) > MaxTypeBytes)
        {
            throw new ArgumentException($"A message type is at most {MaxTypeBytes} UTF-8 bytes (was '{type[..Math.Min(type.Length, 32)]}…').", nameof(type));
        }
    }

    public static async ValueTask WriteAsync(Stream stream, string type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await LengthPrefixedMessage.WriteAsync(stream, System.Text.Encoding.UTF8.GetBytes(type), cancellationToken).ConfigureAwait(false);
        await LengthPrefixedMessage.WriteAsync(stream, payload, cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<(string Type, byte[] Payload)> ReadAsync(Stream stream, int maxPayload, CancellationToken cancellationToken)
    {
        var type = await LengthPrefixedMessage.ReadAsync(stream, MaxTypeBytes, cancellationToken).ConfigureAwait(false);
        var payload = await LengthPrefixedMessage.ReadAsync(stream, maxPayload, cancellationToken).ConfigureAwait(false);
        return (System.Text.Encoding.UTF8.GetString(type), payload);
    }

    public static async ValueTask ReadAckAsync(Stream stream, CancellationToken cancellationToken)
    {
        var ack = new byte[1];
        if (await stream.ReadAsync(ack, cancellationToken).ConfigureAwait(false) != 1 || ack[0] != Ack)
        {
            throw new IOException("The peer did not acknowledge the message.");
        }
    }
}

namespace Resilink.Net.Encoding;

/// <summary>
/// Unsigned LEB128 varints as used by multiformats (multistream-select, multiaddr, multihash)
/// and by protobuf length prefixes. Only the minimal encoding of values up to 2^63 - 1 is accepted,
/// so a hostile peer cannot smuggle a huge length past a bound check.
/// </summary>
public static class Varint
{
    /// <summary>The most bytes a 64-bit varint can take.</summary>
    public const int MaxLength = 10;

    /// <summary>How many bytes <paramref name="value"/> takes when encoded.</summary>
    public static int GetByteCount(ulong value)
    {
        var count = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            count++;
        }
        return count;
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Write(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            if (i >= destination.Length)
            {
                throw new ArgumentException("Destination too small for varint.", nameof(destination));
            }
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        if (i >= destination.Length)
        {
            throw new ArgumentException("Destination too small for varint.", nameof(destination));
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Encodes <paramref name="value"/> into a new array.</summary>
    public static byte[] Encode(ulong value)
    {
        var bytes = new byte[GetByteCount(value)];
        Write(value, bytes);
        return bytes;
    }

    /// <summary>
    /// Tries to read a varint from the start of <paramref name="source"/>.
    /// Returns <see cref="VarintReadStatus.NeedMoreData"/> when the buffer ends inside the varint.
    /// </summary>
    public static VarintReadStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        var shift = 0;
        for (var i = 0; i < source.Length; i++)
        {
            // Nine 7-bit groups hold 63 bits; a tenth byte can only encode values we refuse.
            if (i >= 9)
            {
                value = 0;
                return VarintReadStatus.Invalid;
            }
            var b = source[i];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                // Reject non-minimal encodings such as 0x80 0x00 (a trailing zero group).
                if (b == 0 && i > 0)
                {
                    value = 0;
                    return VarintReadStatus.Invalid;
                }
                bytesRead = i + 1;
                return VarintReadStatus.Done;
            }
            shift += 7;
        }
        value = 0;
        return source.Length >= MaxLength ? VarintReadStatus.Invalid : VarintReadStatus.NeedMoreData;
    }

    /// <summary>Reads a varint from the start of <paramref name="source"/> or throws <see cref="FormatException"/>.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int bytesRead)
    {
        return TryRead(source, out var value, out bytesRead) switch
        {
            VarintReadStatus.Done => value,
            VarintReadStatus.NeedMoreData => throw new FormatException("Truncated varint."),
            _ => throw new FormatException("Invalid varint (non-minimal or longer than 63 bits)."),
        };
    }

    /// <summary>
    /// Reads one varint from a stream, a byte at a time (used only for short handshake messages).
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended before the varint was complete.</exception>
    /// <exception cref="FormatException">The varint is malformed.</exception>
    public static async ValueTask<ulong> ReadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        await ReadOrEndAsync(stream, cancellationToken).ConfigureAwait(false)
        ?? throw new EndOfStreamException("Stream ended.");

    /// <summary>
    /// Like <see cref="ReadAsync"/>, but returns null when the stream ends cleanly before the first byte
    /// (how a peer says "no more messages").
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended inside the varint.</exception>
    /// <exception cref="FormatException">The varint is malformed.</exception>
    public static async ValueTask<ulong?> ReadOrEndAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxLength];
        var one = new byte[1];
        for (var i = 0; i < MaxLength; i++)
        {
            var n = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return i == 0 ? null : throw new EndOfStreamException("Stream ended inside a varint.");
            }
            buffer[i] = one[0];
            if ((one[0] & 0x80) == 0)
            {
                return Read(buffer.AsSpan(0, i + 1), out _);
            }
        }
        throw new FormatException("Invalid varint (longer than 10 bytes).");
    }
}

/// <summary>Outcome of <see cref="Varint.TryRead"/>.</summary>
public enum VarintReadStatus
{
    /// <summary>A complete varint was read.</summary>
    Done,

    /// <summary>The input ended inside the varint.</summary>
    NeedMoreData,

    /// <summary>The input is not a valid minimal varint of at most 63 bits.</summary>
    Invalid,
}

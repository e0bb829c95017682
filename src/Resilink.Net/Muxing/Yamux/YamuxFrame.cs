using System.Buffers.Binary;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>Yamux frame types (second header byte).</summary>
internal enum YamuxFrameType : byte
{
    Data = 0,
    WindowUpdate = 1,
    Ping = 2,
    GoAway = 3,
}

/// <summary>Yamux header flags (16-bit field).</summary>
[Flags]
internal enum YamuxFrameFlags : ushort
{
    None = 0,
    Syn = 1,
    Ack = 2,
    Fin = 4,
    Rst = 8,
}

/// <summary>A decoded 12-byte Yamux frame header; also used as the queued representation of control frames.</summary>
internal readonly record struct YamuxFrameHeader(YamuxFrameType Type, YamuxFrameFlags Flags, uint StreamId, uint Length)
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 12;

    /// <summary>The only protocol version defined by the spec.</summary>
    public const byte Version = 0;

    /// <summary>Writes this header big-endian into the first 12 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>Parses a header without validating version or type (the caller validates raw bytes first).</summary>
    public static YamuxFrameHeader Read(ReadOnlySpan<byte> source) => new(
        (YamuxFrameType)source[1],
        (YamuxFrameFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    /// <inheritdoc />
    public override string ToString() => $"{Type} flags={Flags} id={StreamId} len={Length}";
}

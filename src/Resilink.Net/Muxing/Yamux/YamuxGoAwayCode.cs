namespace Resilink.Net.Muxing.Yamux;

/// <summary>Error codes carried in the length field of a Yamux GoAway frame.</summary>
#pragma warning disable CA1028 // The wire field is an unsigned 32-bit integer.
public enum YamuxGoAwayCode : uint
#pragma warning restore CA1028
{
    /// <summary>Normal termination: no new streams will be accepted; existing streams may finish.</summary>
    Normal = 0,

    /// <summary>The peer violated the Yamux protocol.</summary>
    ProtocolError = 1,

    /// <summary>The sender hit an internal error.</summary>
    InternalError = 2,
}

namespace Resilink.Net.Negotiation;

/// <summary>
/// multistream-select failed: the peer supports none of the offered protocols, spoke a different
/// protocol version, sent a malformed or oversized message, or exceeded the round limit.
/// </summary>
public sealed class ProtocolNegotiationException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolNegotiationException()
        : base("Protocol negotiation failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ProtocolNegotiationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused it.</summary>
    public ProtocolNegotiationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed selection, remembering what was offered.</summary>
    public ProtocolNegotiationException(string message, IReadOnlyList<string> offeredProtocols)
        : base(message)
    {
        OfferedProtocols = offeredProtocols;
    }

    /// <summary>The protocols the initiator offered, when the failure is "none supported".</summary>
    public IReadOnlyList<string> OfferedProtocols { get; } = [];
}

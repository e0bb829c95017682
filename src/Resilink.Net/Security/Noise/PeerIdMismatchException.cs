using Resilink.Net.Identity;

namespace Resilink.Net.Security.Noise;

/// <summary>The remote peer authenticated as a different peer ID than the one dialled.</summary>
public sealed class PeerIdMismatchException : SecurityHandshakeException, Resilience.IPermanentConnectionError
{
    /// <summary>Creates an exception naming the expected and the actual peer ID.</summary>
    public PeerIdMismatchException(PeerId expected, PeerId actual)
        : base($"Remote peer ID mismatch: expected {expected}, but the remote authenticated as {actual}.")
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Creates an exception with a default message.</summary>
    public PeerIdMismatchException()
        : base("Remote peer ID mismatch.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public PeerIdMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and an inner cause.</summary>
    public PeerIdMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The peer ID the caller expected, when known.</summary>
    public PeerId? Expected { get; }

    /// <summary>The peer ID the remote proved, when known.</summary>
    public PeerId? Actual { get; }
}

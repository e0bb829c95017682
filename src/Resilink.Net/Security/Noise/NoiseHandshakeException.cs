namespace Resilink.Net.Security.Noise;

/// <summary>
/// A Noise protocol failure: malformed or oversized message, invalid identity signature, unsupported
/// identity key, or a decryption (authentication tag) failure during or after the handshake.
/// </summary>
public class NoiseHandshakeException : SecurityHandshakeException
{
    /// <summary>Creates an exception with a default message.</summary>
    public NoiseHandshakeException()
        : base("Noise handshake failed.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public NoiseHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and an inner cause.</summary>
    public NoiseHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Resilink.Net.Security.Noise;

/// <summary>Base class of failures while securing a connection (handshake, authentication).</summary>
public class SecurityHandshakeException : IOException
{
    /// <summary>Creates an exception with a default message.</summary>
    public SecurityHandshakeException()
        : base("Security handshake failed.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public SecurityHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and an inner cause.</summary>
    public SecurityHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

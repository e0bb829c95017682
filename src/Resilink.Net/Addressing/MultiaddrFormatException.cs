namespace Resilink.Net.Addressing;

/// <summary>A multiaddr in text or binary form is malformed, unsupported or exceeds a limit.</summary>
public sealed class MultiaddrFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MultiaddrFormatException()
        : base("Invalid multiaddr.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public MultiaddrFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused it.</summary>
    public MultiaddrFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Resilink.Net.Muxing.Yamux;

/// <summary>
/// Base exception for Yamux failures: protocol errors, session closure and transport failures surfaced through the muxer.
/// It derives from <see cref="IOException"/> so stream consumers can treat it like any other I/O failure.
/// </summary>
public class YamuxException : IOException
{
    /// <summary>Creates an exception with a default message.</summary>
    public YamuxException()
        : base("Yamux error.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">Human readable description.</param>
    public YamuxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">Human readable description.</param>
    /// <param name="innerException">The underlying cause.</param>
    public YamuxException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

namespace Resilink.Net.Muxing.Yamux;

/// <summary>
/// Thrown by <see cref="YamuxStream"/> reads and writes after the stream was reset (locally or by the remote peer)
/// or after the owning session closed. The message says why; <see cref="Exception.InnerException"/> carries the
/// session close reason when the session ended.
/// </summary>
public sealed class YamuxStreamResetException : YamuxException
{
    /// <summary>Creates an exception with a default message.</summary>
    public YamuxStreamResetException()
        : base("The Yamux stream was reset.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">Human readable description.</param>
    public YamuxStreamResetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">Human readable description.</param>
    /// <param name="innerException">The underlying cause, e.g. the session close reason.</param>
    public YamuxStreamResetException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

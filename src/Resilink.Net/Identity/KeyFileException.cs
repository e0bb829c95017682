namespace Resilink.Net.Identity;

/// <summary>
/// A key file that cannot be used: missing, unreadable, empty, malformed, truncated, of a key type other than Ed25519,
/// or (when creating one) already there. The message is one line that names the file.
/// </summary>
public sealed class KeyFileException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KeyFileException"/> class.</summary>
    public KeyFileException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyFileException"/> class.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public KeyFileException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyFileException"/> class.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The failure underneath.</param>
    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the key file's path, when known.</summary>
    public string? Path { get; init; }
}

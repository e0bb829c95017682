namespace Resilink.Net.Messaging;

/// <summary>Limits of a <see cref="PeerMessenger"/>. Every property has a working default.</summary>
public sealed class PeerMessengerOptions
{
    /// <summary>Largest payload sent or accepted. Default: 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>Messages kept per peer while it has no healthy connection; the oldest is dropped beyond. Default: 10,000.</summary>
    public int MaxBufferedMessagesPerPeer { get; set; } = 10_000;

    /// <summary>Payload bytes kept per peer while it has no healthy connection; the oldest are dropped beyond. Default: 16 MiB.</summary>
    public long MaxBufferedBytesPerPeer { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a buffered message waits for a connection before it fails. Default: 60 s.</summary>
    public TimeSpan BufferedMessageTimeToLive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit for sending one message and receiving its acknowledgement. Default: 10 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks every setting and throws one exception naming each bad one.</summary>
    /// <exception cref="ArgumentException">At least one setting is out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxMessageSize < 1)
        {
            errors.Add($"{nameof(MaxMessageSize)} must be at least 1 (was {MaxMessageSize}).");
        }
        if (MaxBufferedMessagesPerPeer < 0)
        {
            errors.Add($"{nameof(MaxBufferedMessagesPerPeer)} must not be negative (was {MaxBufferedMessagesPerPeer}).");
        }
        if (MaxBufferedBytesPerPeer < 0)
        {
            errors.Add($"{nameof(MaxBufferedBytesPerPeer)} must not be negative (was {MaxBufferedBytesPerPeer}).");
        }
        if (BufferedMessageTimeToLive <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(BufferedMessageTimeToLive)} must be positive (was {BufferedMessageTimeToLive}).");
        }
        if (SendTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(SendTimeout)} must be positive (was {SendTimeout}).");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PeerMessengerOptions: " + string.Join(" ", errors));
        }
    }
}

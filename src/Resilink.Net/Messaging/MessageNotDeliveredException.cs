namespace Resilink.Net.Messaging;

/// <summary>A message could not be delivered: its buffer overflowed, it waited too long, or the messenger closed.</summary>
public sealed class MessageNotDeliveredException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="MessageNotDeliveredException"/> class.</summary>
    public MessageNotDeliveredException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageNotDeliveredException"/> class.</summary>
    /// <param name="message">Why.</param>
    public MessageNotDeliveredException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MessageNotDeliveredException"/> class.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public MessageNotDeliveredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

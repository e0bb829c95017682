namespace Resilink.Hosting.History;

/// <summary>Reading the health history failed (the database cannot be opened or read); the message names the file.</summary>
public sealed class HealthHistoryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HealthHistoryException"/> class.</summary>
    public HealthHistoryException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HealthHistoryException"/> class.</summary>
    /// <param name="message">What failed.</param>
    public HealthHistoryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HealthHistoryException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">Why.</param>
    public HealthHistoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

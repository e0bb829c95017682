using System.Net;

namespace Resilink.Alerting;

/// <summary>An HTTP sink's request failed in a way worth retrying: a 5xx, 408 or 429 answer, or no connection.</summary>
public class AlertDeliveryException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="AlertDeliveryException"/> class.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">The HTTP status of the answer, or null when there was none.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AlertDeliveryException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status of the answer, or null when there was none.</summary>
    public HttpStatusCode? StatusCode { get; }
}

using System.Net;
using Resilink.Resilience;

namespace Resilink.Alerting;

/// <summary>The receiver refused the alert (a 4xx answer other than 408 and 429): sending it again cannot help, so it is not retried.</summary>
public sealed class AlertRejectedException : AlertDeliveryException, IPermanentConnectionError
{
    /// <summary>Initializes a new instance of the <see cref="AlertRejectedException"/> class.</summary>
    /// <param name="message">What the receiver said.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    public AlertRejectedException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}

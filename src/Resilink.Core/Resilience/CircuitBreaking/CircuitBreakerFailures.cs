namespace Resilink.Resilience;

/// <summary>Which errors of a guarded call count against its circuit breaker.</summary>
public static class CircuitBreakerFailures
{
    /// <summary>
    /// True for the errors that say the peer or endpoint could not be reached: the transient connection errors of
    /// <see cref="TransientConnectionErrors"/> (<see cref="IOException"/>, <see cref="System.Net.Sockets.SocketException"/>,
    /// <see cref="TimeoutException"/>, Polly's timeout) and a <see cref="RetryExhaustedException"/> (a call whose
    /// retries all failed is one failed call). False once <paramref name="callerToken"/> is cancelled and for any
    /// <see cref="OperationCanceledException"/> (the caller gave up: that says nothing about the peer), for errors marked
    /// <see cref="IPermanentConnectionError"/> (the remote answered, just not as expected: opening the breaker would
    /// hide that), for <see cref="CircuitOpenException"/> (another breaker's rejection), and for anything else (bugs,
    /// bad arguments). A call that ends in an error that does not count is a success for the breaker, as in Polly.
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="callerToken">The caller's token for the call.</param>
    public static bool IsFailure(Exception exception, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }
        return exception is RetryExhaustedException || TransientConnectionErrors.IsTransient(exception, callerToken);
    }
}

using System.Net.Sockets;
using Polly.Timeout;

namespace Resilink.Resilience;

/// <summary>Which errors of a connection attempt are worth retrying.</summary>
public static class TransientConnectionErrors
{
    /// <summary>
    /// True for <see cref="IOException"/>, <see cref="SocketException"/>, <see cref="TimeoutException"/> and Polly's
    /// <see cref="TimeoutRejectedException"/>. False once <paramref name="callerToken"/> is cancelled, for any
    /// <see cref="OperationCanceledException"/> (whoever cancelled is stopping the work; a per-attempt timeout should
    /// surface as <see cref="TimeoutException"/>), for a <see cref="RetryExhaustedException"/> (an inner retry already
    /// gave up), for a <see cref="CircuitOpenException"/> (a breaker refused the call; retrying before it lets calls through
    /// again would only be refused again), for anything marked <see cref="IPermanentConnectionError"/>, and for anything else.
    /// </summary>
    /// <param name="exception">What the attempt threw.</param>
    /// <param name="callerToken">The caller's token for the whole operation.</param>
    public static bool IsTransient(Exception exception, CancellationToken callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }
        return exception switch
        {
            RetryExhaustedException or CircuitOpenException or IPermanentConnectionError => false,
            IOException or SocketException or TimeoutException or TimeoutRejectedException => true,
            _ => false,
        };
    }
}

using System.Globalization;
using Resilink.Monitoring;

namespace Resilink.Resilience;

/// <summary>
/// A call was rejected without being tried because the circuit breaker of its peer or endpoint is open (recent calls
/// failed), half-open (a trial call is under way) or isolated (held open by hand). <see cref="Exception.InnerException"/>
/// is Polly's <see cref="Polly.CircuitBreaker.BrokenCircuitException"/>, whose own inner exception, when there is one, is
/// the failure that opened the breaker.
/// </summary>
/// <remarks>
/// An <see cref="IOException"/> so that code handling failed connections handles it too; not transient for
/// <see cref="TransientConnectionErrors"/>, since retrying before <see cref="RetryAt"/> would only be rejected again.
/// </remarks>
public sealed class CircuitOpenException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The peer or endpoint whose breaker rejected the call.</param>
    /// <param name="state">The breaker's state: <see cref="CircuitState.Open"/>, <see cref="CircuitState.HalfOpen"/> or <see cref="CircuitState.Isolated"/>.</param>
    /// <param name="retryAt">When the breaker lets a call through again; null when isolated (until closed by hand).</param>
    /// <param name="innerException">Polly's rejection, or null.</param>
    public CircuitOpenException(string key, CircuitState state, DateTimeOffset? retryAt, Exception? innerException = null)
        : base(Describe(key, state, retryAt, innerException), innerException)
    {
        Key = key;
        State = state;
        RetryAt = retryAt;
    }

    /// <summary>Gets the peer or endpoint whose breaker rejected the call.</summary>
    public string Key { get; }

    /// <summary>Gets the breaker's state when it rejected the call.</summary>
    public CircuitState State { get; }

    /// <summary>Gets when the breaker lets a call through again (a trial once open); null when isolated by hand.</summary>
    public DateTimeOffset? RetryAt { get; }

    private static string Describe(string key, CircuitState state, DateTimeOffset? retryAt, Exception? rejection)
    {
        ArgumentNullException.ThrowIfNull(key);
        var until = retryAt is { } at
            ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : "the break ends";
        var text = state switch
        {
            CircuitState.Isolated => $"The circuit breaker for '{key}' is isolated: calls fail until it is closed by hand.",
            CircuitState.HalfOpen => $"The circuit breaker for '{key}' is half-open and its trial call is still running: calls fail fast until it ends (retry after {until}).",
            _ => $"The circuit breaker for '{key}' is open after recent failures: calls fail fast until {until}.",
        };
        // Polly puts the failure that opened the breaker inside its rejection.
        return rejection?.InnerException is { } cause && state != CircuitState.Isolated
            ? $"{text} Last failure: {(string.IsNullOrEmpty(cause.Message) ? cause.GetType().Name : cause.Message)}"
            : text;
    }
}

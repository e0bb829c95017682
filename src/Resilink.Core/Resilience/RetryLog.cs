using Microsoft.Extensions.Logging;

namespace Resilink.Resilience;

/// <summary>
/// The retry's one log line per failed attempt that will be retried: what, which attempt of how many, the delay and
/// the error's message. The exception itself (its stack trace) only at Debug, as a second entry.
/// </summary>
internal static partial class RetryLog
{
    /// <summary>Logs attempt <paramref name="attempt"/> (1-based) of <paramref name="maxAttempts"/> failing, to be retried after <paramref name="delay"/>.</summary>
    public static void Retrying(ILogger logger, string operation, int attempt, int maxAttempts, TimeSpan delay, Exception error)
    {
        AttemptFailed(logger, operation, attempt, maxAttempts, delay.TotalMilliseconds, error.Message);
        AttemptFailedDetail(logger, error, operation, attempt);
    }

    [LoggerMessage(1, LogLevel.Information, "{Operation}: attempt {Attempt} of {MaxAttempts} failed, retrying in {DelayMs:0} ms: {Error}")]
    private static partial void AttemptFailed(ILogger logger, string operation, int attempt, int maxAttempts, double delayMs, string error);

    [LoggerMessage(2, LogLevel.Debug, "{Operation}: attempt {Attempt} failed with")]
    private static partial void AttemptFailedDetail(ILogger logger, Exception exception, string operation, int attempt);
}

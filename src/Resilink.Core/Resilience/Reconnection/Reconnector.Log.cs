using Microsoft.Extensions.Logging;

namespace Resilink.Resilience;

public sealed partial class Reconnector
{
    [LoggerMessage(1, LogLevel.Debug, "Reconnecting {Key}: attempt {Attempt} failed")]
    private partial void LogAttemptFailed(Exception exception, string key, int attempt);

    [LoggerMessage(2, LogLevel.Information, "Reconnected {Key} at attempt {Attempt} after {ElapsedMs:0} ms")]
    private partial void LogSucceeded(string key, int attempt, double elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "Gave up reconnecting {Key} after {Attempt} attempt(s): {Error}")]
    private partial void LogGaveUp(string key, int attempt, string error);

    [LoggerMessage(4, LogLevel.Debug, "Reconnecting {Key} cancelled by the caller during attempt {Attempt}")]
    private partial void LogCancelled(string key, int attempt);

    [LoggerMessage(5, LogLevel.Warning, "A {Handler} handler of the reconnector failed for {Key}")]
    private partial void LogHandlerFailed(Exception exception, string handler, string key);
}

using Microsoft.Extensions.Logging;

namespace Resilink.Alerting;

/// <summary>
/// Writes each alert to an <see cref="ILogger"/>: firing alerts at the level matching theirs (Info → Information,
/// Warning → Warning, Error → Error, Critical → Critical), resolved ones at Information.
/// </summary>
public sealed partial class LoggerAlertSink : IAlertSink
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggerAlertSink"/> class.</summary>
    /// <param name="logger">The logger to write to.</param>
    public LoggerAlertSink(ILogger<LoggerAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "logger";

    /// <summary>The log level a firing alert of <paramref name="level"/> is written at.</summary>
    /// <param name="level">The alert's level.</param>
    /// <returns>The log level.</returns>
    public static LogLevel LogLevelOf(MonitoringLevel level) => level switch
    {
        MonitoringLevel.Critical => LogLevel.Critical,
        MonitoringLevel.Error => LogLevel.Error,
        MonitoringLevel.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    /// <inheritdoc />
    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.IsResolved)
        {
            LogResolved(alert.Rule.Name, alert.Service, alert.Level, alert.Count, alert.Message);
        }
        else
        {
            LogLevel logLevel = LogLevelOf(alert.Level);
            LogFiring(logLevel, alert.Rule.Name, alert.Service, alert.Level, alert.Count, alert.Message);
        }

        return ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.Logging;

namespace Resilink.Cli.Commands;

/// <summary>
/// Console logging for the CLI: quiet by default, detailed with --verbose, always on stderr (stdout belongs to the
/// command's output, e.g. its --json lines).
/// </summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}

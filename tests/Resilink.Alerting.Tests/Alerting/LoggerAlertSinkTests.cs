using Microsoft.Extensions.Logging;
using Resilink.Alerting;
using Resilink.Tests.Shared;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class LoggerAlertSinkTests
{
    [Theory]
    [InlineData(MonitoringLevel.Info, LogLevel.Information)]
    [InlineData(MonitoringLevel.Warning, LogLevel.Warning)]
    [InlineData(MonitoringLevel.Error, LogLevel.Error)]
    [InlineData(MonitoringLevel.Critical, LogLevel.Critical)]
    public async Task SendAsync_FiringAlert_LoggedAtTheMatchingLevel(MonitoringLevel level, LogLevel expected)
    {
        var log = new CapturingLogger<LoggerAlertSink>();

        await new LoggerAlertSink(log).SendAsync(Alert(level, resolvedAt: null), CancellationToken.None);

        LogEntry entry = Assert.Single(log.Entries);
        Assert.Equal(expected, entry.Level);
        Assert.Equal($"Alert Down on api ({level}, x3): api is down", entry.Message);
    }

    [Fact]
    public async Task SendAsync_ResolvedCriticalAlert_LoggedAsInformation()
    {
        var log = new CapturingLogger<LoggerAlertSink>();

        await new LoggerAlertSink(log).SendAsync(Alert(MonitoringLevel.Critical, DateTimeOffset.UnixEpoch), CancellationToken.None);

        LogEntry entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.StartsWith("Resolved Down on api", entry.Message, StringComparison.Ordinal);
    }

    internal static Alert Alert(MonitoringLevel level, DateTimeOffset? resolvedAt) => new()
    {
        Id = "0123456789abcdef0123456789abcdef",
        Rule = new AlertRule("Down", level) { Description = "The service does not answer." },
        Service = "api",
        Message = "api is down",
        Labels = new Dictionary<string, string> { ["team"] = "core", ["bad-name"] = "x" },
        FirstSeen = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        LastSeen = new DateTimeOffset(2025, 1, 1, 0, 1, 0, TimeSpan.Zero),
        Count = 3,
        ResolvedAt = resolvedAt,
    };
}

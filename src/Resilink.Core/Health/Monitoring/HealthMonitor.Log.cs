using Microsoft.Extensions.Logging;

namespace Resilink.Health;

public sealed partial class HealthMonitor
{
    [LoggerMessage(1, LogLevel.Information, "Connection {ConnectionId} to {Peer}: {Previous} -> {Current} (score {Score:0.00}): {Reason}")]
    private partial void LogStatusChanged(string connectionId, string peer, HealthStatus previous, HealthStatus current, double score, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Health check ping on {ConnectionId} failed")]
    private partial void LogPingFailed(Exception exception, string connectionId);

    [LoggerMessage(3, LogLevel.Warning, "A StatusChanged handler failed for {ConnectionId}")]
    private partial void LogHandlerFailed(Exception exception, string connectionId);
}

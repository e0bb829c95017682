using System.Net;
using Microsoft.Extensions.Logging;

namespace Resilink.Net.Chaos;

/// <summary>High-performance log messages for <see cref="FaultInjectingProxy"/> and <see cref="ProxiedConnection"/>.</summary>
internal static partial class ChaosLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Chaos proxy listening on {Listen}, forwarding to {Target}")]
    public static partial void Started(ILogger logger, EndPoint listen, EndPoint target);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Chaos connection {Id} opened: {Client} -> {Target}")]
    public static partial void ConnectionOpened(ILogger logger, long id, EndPoint? client, EndPoint target);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Chaos connection {Id}: dialing {Target} failed, resetting the client")]
    public static partial void DialFailed(ILogger logger, long id, EndPoint target, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Chaos connection {Id} reset: {Reason}")]
    public static partial void ConnectionReset(ILogger logger, long id, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Chaos connection {Id} closed ({ToTarget} bytes to target, {ToClient} bytes to client, {Dropped} dropped)")]
    public static partial void ConnectionClosed(ILogger logger, long id, long toTarget, long toClient, long dropped);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Chaos proxy accept failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Chaos connection {Id}: {Pump} ended with an error")]
    public static partial void PumpFailed(ILogger logger, long id, string pump, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Chaos connection {Id} faults changed: {Faults}")]
    public static partial void FaultsChanged(ILogger logger, long id, FaultProfile faults);
}

using Microsoft.Extensions.Logging;

namespace Resilink.Net.Muxing.Yamux;

/// <summary>High-performance log messages for <see cref="YamuxSession"/>.</summary>
public sealed partial class YamuxSession
{
    internal void LogWindowGrown(uint streamId, long window) => Log.WindowGrown(_logger, streamId, window);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Yamux session started (initiator: {IsInitiator})")]
        public static partial void SessionStarted(ILogger logger, bool isInitiator);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Yamux session closed: {Reason}")]
        public static partial void SessionClosed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Yamux protocol error from remote: {Reason}")]
        public static partial void ProtocolError(ILogger logger, string reason);

        [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rejecting inbound Yamux stream {StreamId}: {Reason}")]
        public static partial void InboundStreamRejected(ILogger logger, uint streamId, string reason);

        [LoggerMessage(EventId = 5, Level = LogLevel.Trace, Message = "Discarding {Length} bytes for closed Yamux stream {StreamId}")]
        public static partial void DiscardingData(ILogger logger, uint streamId, uint length);

        [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Yamux GoAway received with code {Code}")]
        public static partial void GoAwayReceived(ILogger logger, YamuxGoAwayCode code);

        [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Yamux keep-alive ping failed")]
        public static partial void KeepAliveFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Dropping a Yamux ping reply: {Backlog} control frames already queued")]
        public static partial void PingReplyDropped(ILogger logger, int backlog);

        [LoggerMessage(EventId = 8, Level = LogLevel.Trace, Message = "Yamux stream {StreamId} receive window grown to {Window} bytes")]
        public static partial void WindowGrown(ILogger logger, uint streamId, long window);
    }
}

using Microsoft.Extensions.Logging;

namespace Resilink.Hosting.History;

public sealed partial class SqliteHealthHistory
{
    [LoggerMessage(10, LogLevel.Information, "Health history in {Path} (schema version {Version}, retention {Retention})")]
    private static partial void LogOpened(ILogger logger, string path, int version, TimeSpan retention);

    [LoggerMessage(11, LogLevel.Warning, "Health history: the write queue is full ({Capacity} records) for {Path}; new records are dropped until the writer catches up")]
    private static partial void LogQueueFull(ILogger logger, int capacity, string path);

    [LoggerMessage(12, LogLevel.Debug, "Health history: pruned {Records} records from {Path} older than {Cutoff:u}")]
    private static partial void LogPruned(ILogger logger, int records, string path, DateTimeOffset cutoff);
}

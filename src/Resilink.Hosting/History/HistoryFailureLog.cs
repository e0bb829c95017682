using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Resilink.Hosting.History;

/// <summary>
/// Logs a failing history write once per kind of failure while writes keep failing (a full disk fails every batch;
/// one line says so, not one per second), and once more when writes work again. Used by the writer alone.
/// </summary>
internal sealed partial class HistoryFailureLog(ILogger logger, string databasePath)
{
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private long _failures;
    private long _recordsLost;

    /// <param name="exception">What failed.</param>
    /// <param name="operation">open, write or prune.</param>
    /// <param name="records">The records the failure dropped.</param>
    public void Failed(Exception exception, string operation, int records)
    {
        _failures++;
        _recordsLost += records;
        var kind = exception is SqliteException sqlite ? $"SQLite error {sqlite.SqliteErrorCode}" : exception.GetType().Name;
        if (_logged.Add(kind))
        {
            LogFailed(logger, exception, operation, databasePath, kind, records);
        }
    }

    public void Succeeded()
    {
        if (_failures == 0)
        {
            return;
        }
        LogRecovered(logger, databasePath, _failures, _recordsLost);
        _failures = 0;
        _recordsLost = 0;
        _logged.Clear();
    }

    [LoggerMessage(1, LogLevel.Error,
        "Health history: {Operation} of {Path} failed ({Kind}); {Records} records dropped. The node keeps running and the writer keeps trying; " +
        "further failures of this kind are not logged until writes work again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string operation, string path, string kind, int records);

    [LoggerMessage(2, LogLevel.Information, "Health history: writes to {Path} work again after {Failures} failures ({Records} records dropped)")]
    private static partial void LogRecovered(ILogger logger, string path, long failures, long records);
}

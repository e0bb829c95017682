using Microsoft.Data.Sqlite;

namespace Resilink.Hosting.History;

/// <summary>
/// The history database's tables (times as unix milliseconds, statuses and levels as their names so that a reordered
/// enum cannot misread old rows) and its version in <c>PRAGMA user_version</c>.
/// </summary>
internal static class HistorySchema
{
    /// <summary>
    /// The version this build writes; a database of a newer version is refused rather than misread. Version 2 added
    /// <c>run_id</c> to the tables keyed by connection id (older rows keep null: no run).
    /// </summary>
    public const int Version = 2;

    public const string Samples = "samples";
    public const string StatusChanges = "status_changes";
    public const string Alerts = "alerts";

    /// <summary>Every table, each with a <c>ts</c> column: what pruning deletes from.</summary>
    public static readonly string[] Tables = [Samples, StatusChanges, Alerts];

    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS samples (
            id INTEGER PRIMARY KEY,
            ts INTEGER NOT NULL,
            peer TEXT NOT NULL,
            connection TEXT NOT NULL,
            status TEXT NOT NULL,
            score REAL NOT NULL,
            rtt_p50_ms REAL NOT NULL,
            rtt_p95_ms REAL NOT NULL,
            active_streams INTEGER NOT NULL,
            bytes_per_second REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS samples_ts ON samples (ts);
        CREATE INDEX IF NOT EXISTS samples_connection_ts ON samples (connection, ts);
        CREATE TABLE IF NOT EXISTS status_changes (
            id INTEGER PRIMARY KEY,
            ts INTEGER NOT NULL,
            peer TEXT NOT NULL,
            connection TEXT NOT NULL,
            previous TEXT NOT NULL,
            current TEXT NOT NULL,
            score REAL NOT NULL,
            reason TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS status_changes_ts ON status_changes (ts);
        CREATE INDEX IF NOT EXISTS status_changes_connection_ts ON status_changes (connection, ts);
        CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY,
            ts INTEGER NOT NULL,
            alert_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            level TEXT NOT NULL,
            service TEXT NOT NULL,
            message TEXT NOT NULL,
            resolved INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS alerts_ts ON alerts (ts);
        """;

    // Connection ids restart at c1 with every node start: a connection's rows are told apart by the run that wrote them.
    private const string MigrateToV2 = """
        ALTER TABLE samples ADD COLUMN run_id TEXT;
        ALTER TABLE status_changes ADD COLUMN run_id TEXT;
        CREATE INDEX IF NOT EXISTS samples_run_connection_ts ON samples (run_id, connection, ts);
        CREATE INDEX IF NOT EXISTS status_changes_run_connection_ts ON status_changes (run_id, connection, ts);
        """;

    /// <summary>The connection string of the writer (creates the file) or of a reader (never creates it).</summary>
    public static string ConnectionString(string databasePath, bool write) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = write ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
        // A locked database fails the batch after this long instead of holding the writer for the default 30 s.
        DefaultTimeout = 2,
        // One long-lived writer and short readers: nothing to gain from a pool that would keep the file open after disposal.
        Pooling = false,
    }.ToString();

    /// <summary>Opens the writer's connection: WAL (readers do not block the writer), the tables, the version.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or written.</exception>
    /// <exception cref="InvalidOperationException">The database was written by a newer version.</exception>
    public static SqliteConnection OpenWriter(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var connection = new SqliteConnection(ConnectionString(databasePath, write: true));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Version)
            {
                throw new InvalidOperationException(
                    $"{databasePath} has history schema version {version}; this build knows version {Version} at most.");
            }
            if (version < Version)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, (version < 1 ? CreateV1 : "") + MigrateToV2 + $"PRAGMA user_version = {Version};", transaction);
                transaction.Commit();
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

using Microsoft.Data.Sqlite;

namespace Resilink.Hosting.History;

/// <summary>The three INSERT commands of one write transaction, each prepared once and reused for every record of its kind.</summary>
internal sealed class HistoryInserts : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private SqliteCommand? _sample;
    private SqliteCommand? _change;
    private SqliteCommand? _alert;

    public HistoryInserts(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public void Insert(object record)
    {
        switch (record)
        {
            case HealthSampleRecord s:
                _sample ??= Prepare(HistorySchema.Samples, "ts", "peer", "connection", "status", "score", "rtt_p50_ms", "rtt_p95_ms", "active_streams", "bytes_per_second", "run_id");
                Run(_sample, s.Timestamp.ToUnixTimeMilliseconds(), s.PeerId, s.ConnectionId, s.Status.ToString(), s.Score,
                    s.RttP50Milliseconds, s.RttP95Milliseconds, s.ActiveStreams, s.BytesPerSecond, OrNull(s.RunId));
                break;
            case StatusChangeRecord c:
                _change ??= Prepare(HistorySchema.StatusChanges, "ts", "peer", "connection", "previous", "current", "score", "reason", "run_id");
                Run(_change, c.Timestamp.ToUnixTimeMilliseconds(), c.PeerId, c.ConnectionId, c.Previous.ToString(), c.Current.ToString(), c.Score, c.Reason,
                    OrNull(c.RunId));
                break;
            case AlertRecord a:
                _alert ??= Prepare(HistorySchema.Alerts, "ts", "alert_id", "rule", "level", "service", "message", "resolved");
                Run(_alert, a.Timestamp.ToUnixTimeMilliseconds(), a.AlertId, a.Rule, a.Level.ToString(), a.Service, a.Message, a.Resolved ? 1 : 0);
                break;
            default:
                throw new ArgumentException($"Not a history record: {record.GetType()}.", nameof(record));
        }
    }

    public void Dispose()
    {
        _sample?.Dispose();
        _change?.Dispose();
        _alert?.Dispose();
    }

    /// <summary>An INSERT of <paramref name="columns"/> into <paramref name="table"/> whose values <see cref="Run"/> sets in the same order.</summary>
    private SqliteCommand Prepare(string table, params string[] columns)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // table and column names are constants of this assembly
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
#pragma warning restore CA2100
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i });
        }
        command.Prepare();
        return command;
    }

    private static object OrNull(string? value) => value ?? (object)DBNull.Value;

    private static void Run(SqliteCommand command, params ReadOnlySpan<object> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        command.ExecuteNonQuery();
    }
}

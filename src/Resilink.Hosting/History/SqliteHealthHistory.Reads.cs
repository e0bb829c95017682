using Microsoft.Data.Sqlite;
using Resilink.Alerting;
using Resilink.Health;

namespace Resilink.Hosting.History;

// Reads: each on a read-only connection of its own, so they never wait for the writer (WAL) nor it for them.
public sealed partial class SqliteHealthHistory
{
    /// <inheritdoc />
    /// <exception cref="HealthHistoryException">The database cannot be opened or read.</exception>
    public Task<IReadOnlyList<HealthSampleRecord>> GetSamplesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        GetSamplesAsync(runId: null, connectionId, since, limit, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HealthHistoryException">The database cannot be opened or read.</exception>
    public Task<IReadOnlyList<HealthSampleRecord>> GetSamplesAsync(
        string? runId, string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            HistorySchema.Samples,
            "ts, peer, connection, status, score, rtt_p50_ms, rtt_p95_ms, active_streams, bytes_per_second, run_id",
            new RowFilter(runId, connectionId),
            since,
            limit,
            r => new HealthSampleRecord(
                Time(r, 0), r.GetString(1), r.GetString(2), Enum.Parse<HealthStatus>(r.GetString(3)), r.GetDouble(4),
                r.GetDouble(5), r.GetDouble(6), r.GetInt32(7), r.GetDouble(8), NullableString(r, 9)),
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HealthHistoryException">The database cannot be opened or read.</exception>
    public Task<IReadOnlyList<StatusChangeRecord>> GetStatusChangesAsync(string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        GetStatusChangesAsync(runId: null, connectionId, since, limit, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HealthHistoryException">The database cannot be opened or read.</exception>
    public Task<IReadOnlyList<StatusChangeRecord>> GetStatusChangesAsync(
        string? runId, string? connectionId, DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            HistorySchema.StatusChanges,
            "ts, peer, connection, previous, current, score, reason, run_id",
            new RowFilter(runId, connectionId),
            since,
            limit,
            r => new StatusChangeRecord(
                Time(r, 0), r.GetString(1), r.GetString(2), Enum.Parse<HealthStatus>(r.GetString(3)), Enum.Parse<HealthStatus>(r.GetString(4)),
                r.GetDouble(5), r.GetString(6), NullableString(r, 7)),
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HealthHistoryException">The database cannot be opened or read.</exception>
    public Task<IReadOnlyList<AlertRecord>> GetAlertsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            HistorySchema.Alerts,
            "ts, alert_id, rule, level, service, message, resolved",
            new RowFilter(RunId: null, ConnectionId: null),
            since,
            limit,
            r => new AlertRecord(
                Time(r, 0), r.GetString(1), r.GetString(2), Enum.Parse<MonitoringLevel>(r.GetString(3)), r.GetString(4), r.GetString(5),
                r.GetInt64(6) != 0),
            cancellationToken);

    /// <summary>The newest <paramref name="limit"/> rows at or after <paramref name="since"/>, returned oldest first.</summary>
    private async Task<IReadOnlyList<T>> ReadAsync<T>(
        string table, string columns, RowFilter filter, DateTimeOffset since, int limit, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (limit == 0 || !Path.Exists(DatabasePath))
        {
            return []; // nothing recorded yet is an empty history, not an error
        }

        try
        {
            var connection = new SqliteConnection(HistorySchema.ConnectionString(DatabasePath, write: false));
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using var command = connection.CreateCommand();
#pragma warning disable CA2100 // table, columns and filter are constants of this assembly; values are parameters
                command.CommandText =
                    $"SELECT * FROM (SELECT {columns}, id FROM {table} WHERE ts >= $since{filter.Sql} ORDER BY ts DESC, id DESC LIMIT $limit) ORDER BY ts, id";
#pragma warning restore CA2100
                command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$limit", limit);
                filter.AddParameters(command);
                var rows = new List<T>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(read(reader));
                    }
                }
                return rows;
            }
        }
        catch (Exception ex) when (ex is SqliteException or FormatException or ArgumentException or InvalidCastException)
        {
            // The last three: a row this build cannot read (a status or level name it does not know, a changed column).
            throw new HealthHistoryException($"Reading the health history ({table}) from {DatabasePath} failed: {ex.Message}", ex);
        }
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Time(SqliteDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}

using Microsoft.Data.Sqlite;

namespace Resilink.Hosting.History;

// The background writer: one round per wake-up (flush timer, full batch, FlushAsync, prune timer, disposal).
public sealed partial class SqliteHealthHistory
{
    private async Task WriteLoopAsync()
    {
        var batch = new List<object>(_options.MaxBatchSize);
        try
        {
            while (await _wake.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                WriteRound(batch);
            }
            WriteRound(batch); // disposal: what is still queued
        }
        finally
        {
            _connection?.Dispose();
            _connection = null;
            List<TaskCompletionSource> waiters;
            lock (_flushLock)
            {
                _writerDone = true;
                waiters = _flushWaiters;
                _flushWaiters = [];
            }
            waiters.ForEach(w => w.TrySetResult());
        }
    }

    /// <summary>Writes what was queued when the round began, prunes if due, then releases the FlushAsync callers of before the round.</summary>
    private void WriteRound(List<object> batch)
    {
        List<TaskCompletionSource> waiters;
        lock (_flushLock)
        {
            waiters = _flushWaiters;
            _flushWaiters = [];
        }

        // Only what is there now: under a flood a round ends, and the next one starts at once (the producers wake it).
        var pending = _queue.Reader.Count;
        while (pending > 0)
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && pending > 0 && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                pending--;
            }
            if (batch.Count == 0)
            {
                break;
            }
            WriteBatch(batch);
        }
        if (_queue.Reader.Count == 0)
        {
            Volatile.Write(ref _queueFullLogged, 0); // a later overflow is a new stretch, logged again
        }
        if (Interlocked.Exchange(ref _pruneDue, 0) == 1)
        {
            Prune();
        }
        waiters.ForEach(w => w.TrySetResult());
    }

    private void WriteBatch(List<object> batch)
    {
        try
        {
            var connection = _connection ?? Open();
            using var transaction = connection.BeginTransaction();
            using var inserts = new HistoryInserts(connection, transaction);
            foreach (var record in batch)
            {
                inserts.Insert(record);
            }
            transaction.Commit();
            _counters.Committed(batch.Count);
            _failures.Succeeded();
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            _counters.Failed(batch.Count);
            _failures.Failed(ex, "write", batch.Count);
            CloseAfterFailure();
        }
    }

    /// <summary>Rows deleted per table per prune transaction; more waits for the next round (see <see cref="Prune"/>).</summary>
    internal const int PruneChunkRows = 10_000;

    /// <summary>
    /// Deletes rows older than now − <see cref="HealthHistoryOptions.Retention"/>, at most <see cref="PruneChunkRows"/>
    /// per table per round: after days without a prune there may be millions, and one huge transaction would hold the
    /// writer (and grow the WAL) while the queue overflows. When a chunk was full, the next round (right away) writes
    /// what was queued meanwhile and prunes on.
    /// </summary>
    private void Prune()
    {
        var now = _timeProvider.GetUtcNow();
        // A Retention longer than the clock's past ("keep everything") must not overflow the subtraction.
        var cutoff = _options.Retention >= now - DateTimeOffset.UnixEpoch ? 0 : (now - _options.Retention).ToUnixTimeMilliseconds();
        try
        {
            var connection = _connection ?? Open();
            using var transaction = connection.BeginTransaction();
            var deleted = 0;
            var more = false;
            foreach (var table in HistorySchema.Tables)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
#pragma warning disable CA2100 // the table names are constants
                command.CommandText = $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE ts < $cutoff ORDER BY ts LIMIT $chunk)";
#pragma warning restore CA2100
                command.Parameters.AddWithValue("$cutoff", cutoff);
                command.Parameters.AddWithValue("$chunk", PruneChunkRows);
                var rows = command.ExecuteNonQuery();
                deleted += rows;
                more |= rows == PruneChunkRows;
            }
            transaction.Commit();
            _counters.Pruned(deleted);
            _failures.Succeeded();
            if (deleted > 0)
            {
                LogPruned(_logger, deleted, DatabasePath, DateTimeOffset.FromUnixTimeMilliseconds(cutoff));
            }
            if (more)
            {
                Volatile.Write(ref _pruneDue, 1);
                Wake();
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            _failures.Failed(ex, "prune", 0);
            CloseAfterFailure();
        }
    }

    /// <summary>Opens the database at construction; a failure is logged and left to the writer to retry.</summary>
    private void TryOpen()
    {
        try
        {
            Open();
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            _failures.Failed(ex, "open", 0);
        }
    }

    private SqliteConnection Open()
    {
        _connection = HistorySchema.OpenWriter(DatabasePath);
        if (!_openedLogged)
        {
            _openedLogged = true; // not again for each reopening after a failure
            LogOpened(_logger, DatabasePath, HistorySchema.Version, _options.Retention);
        }
        return _connection;
    }

    /// <summary>The next batch opens the database afresh: after a failure the connection may be what is broken.</summary>
    private void CloseAfterFailure()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>
    /// Everything but cancellation: besides what the disk and the file do (SqliteException, IOException,
    /// UnauthorizedAccessException, a newer schema), nothing may stop the writer, or the history would end silently.
    /// </summary>
    private static bool IsStorageFailure(Exception ex) => ex is not OperationCanceledException;
}

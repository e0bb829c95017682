using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting.History;
using Resilink.Tests.Shared;
using static Resilink.EndToEnd.Tests.History.HistoryRecords;

namespace Resilink.EndToEnd.Tests.History;

/// <summary>
/// A database that cannot be written: the failure is logged once per kind, its records are dropped and counted, and
/// the writer goes on and writes again once it can. (The tests run as root, whom file modes do not stop, so the
/// failures are real ones SQLite reports: a directory where the file should be, a database another process locked.)
/// </summary>
public sealed class SqliteHealthHistoryFailureTests
{
    [Fact]
    public async Task DatabasePathIsADirectory_WritesFailLoggedOnceReadsThrow_ThenRecoverWhenItIsGone()
    {
        using var directory = new TempDirectory("history-");
        var blocker = Directory.CreateDirectory(directory.File("history.db"));
        var logger = new CapturingLogger<SqliteHealthHistory>();

        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start), logger);
        history.TryAdd(Sample(Start));
        history.TryAdd(Change(Start));
        await history.FlushAsync();
        history.TryAdd(Sample(Start.AddSeconds(1)));
        await history.FlushAsync();

        var failing = history.Statistics;
        Assert.Equal(0, failing.Written);
        // Two flushes, so two batches, or three when the writer took the first record before the second was queued.
        Assert.InRange(failing.FailedBatches, 2, 3);
        Assert.Equal(3, failing.DroppedOnError);
        var error = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(history.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.Exception);
        var read = await Assert.ThrowsAsync<HealthHistoryException>(() => history.GetSamplesAsync(null, DateTimeOffset.MinValue, 10));
        Assert.Contains(history.DatabasePath, read.Message, StringComparison.Ordinal);

        blocker.Delete();
        history.TryAdd(Sample(Start.AddSeconds(2)));
        await history.FlushAsync();

        Assert.Equal(1, history.Statistics.Written);
        Assert.Equal([Sample(Start.AddSeconds(2))], await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 10));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("work again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseLockedByAnotherWriter_BatchFailsLoggedOnce_ThenWritesGoOnAfterTheLockIsReleased()
    {
        using var directory = new TempDirectory("history-");
        var logger = new CapturingLogger<SqliteHealthHistory>();
        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start), logger);
        history.TryAdd(Sample(Start));
        await history.FlushAsync();

        await using (var other = new SqliteConnection($"Data Source={history.DatabasePath};Pooling=False"))
        {
            await other.OpenAsync();
            await using var command = other.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE";
            await command.ExecuteNonQueryAsync();

            history.TryAdd(Sample(Start.AddSeconds(1)));
            await history.FlushAsync(); // fails once SQLite's busy timeout has passed

            Assert.Equal(1, history.Statistics.FailedBatches);
            Assert.Equal(1, history.Statistics.DroppedOnError);
            var error = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
            Assert.Equal(5, Assert.IsType<SqliteException>(error.Exception).SqliteErrorCode); // SQLITE_BUSY
            // Reads do not need the write lock (WAL).
            Assert.Single(await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 10));
            command.CommandText = "ROLLBACK";
            await command.ExecuteNonQueryAsync();
        }

        history.TryAdd(Sample(Start.AddSeconds(2)));
        await history.FlushAsync();

        Assert.Equal(2, history.Statistics.Written);
        Assert.Equal([Start, Start.AddSeconds(2)], (await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 10)).Select(s => s.Timestamp));
    }
}

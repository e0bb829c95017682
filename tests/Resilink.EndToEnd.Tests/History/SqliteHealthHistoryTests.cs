using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting.History;
using Resilink.Tests.Shared;
using static Resilink.EndToEnd.Tests.History.HistoryRecords;

namespace Resilink.EndToEnd.Tests.History;

/// <summary><see cref="SqliteHealthHistory"/> on a real SQLite file: round trips, batching, restarts, a full queue.</summary>
public sealed class SqliteHealthHistoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryAdd_AllThreeKinds_ReadBackEqualOldestFirst()
    {
        using var directory = new TempDirectory("history-");
        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start));
        HealthSampleRecord[] samples = [Sample(Start), Sample(Start.AddSeconds(5), score: 0.5)];
        StatusChangeRecord[] changes = [Change(Start.AddMilliseconds(1))];
        AlertRecord[] alerts = [Alert(Start.AddMilliseconds(2)), Alert(Start.AddMilliseconds(3), resolved: true)];

        // Newest first on purpose: the reads order by time, not by insertion.
        Assert.All(samples.Reverse(), s => Assert.True(history.TryAdd(s)));
        Assert.All(changes, c => Assert.True(history.TryAdd(c)));
        Assert.All(alerts, a => Assert.True(history.TryAdd(a)));
        await history.FlushAsync();

        Assert.Equal(samples, await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal(changes, await history.GetStatusChangesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal(alerts, await history.GetAlertsAsync(DateTimeOffset.MinValue, 100));
        Assert.Equal(5, history.Statistics.Written);
        Assert.Equal(Path.Combine(directory.Path, "history.db"), history.DatabasePath);
    }

    [Fact]
    public async Task GetSamplesAsync_SinceLimitAndConnection_KeepsTheNewestOfThatConnectionOldestFirst()
    {
        using var directory = new TempDirectory("history-");
        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start));
        for (int i = 0; i < 10; i++)
        {
            history.TryAdd(Sample(Start.AddSeconds(i), "conn-a"));
            history.TryAdd(Sample(Start.AddSeconds(i), "conn-b"));
        }
        await history.FlushAsync();

        var newest = await history.GetSamplesAsync("conn-a", Start.AddSeconds(2), limit: 3);
        var since = await history.GetSamplesAsync(null, Start.AddSeconds(8), limit: 100);

        Assert.Equal([Start.AddSeconds(7), Start.AddSeconds(8), Start.AddSeconds(9)], newest.Select(s => s.Timestamp));
        Assert.All(newest, s => Assert.Equal("conn-a", s.ConnectionId));
        Assert.Equal(4, since.Count); // seconds 8 and 9, both connections
        Assert.Empty(await history.GetSamplesAsync(null, DateTimeOffset.MinValue, limit: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => history.GetSamplesAsync(null, DateTimeOffset.MinValue, limit: -1));
    }

    [Fact]
    public async Task GetStatusChangesAsync_OneConnection_KeepsItsNewestEvenWhenOthersChangedMoreOften()
    {
        using var directory = new TempDirectory("history-");
        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start));
        history.TryAdd(Change(Start, "conn-quiet"));
        for (int i = 1; i <= 50; i++)
        {
            history.TryAdd(Change(Start.AddSeconds(i), "conn-flapping"));
        }
        await history.FlushAsync();

        // A limit across all connections would return only the flapping one's newest changes.
        var quiet = await history.GetStatusChangesAsync("conn-quiet", DateTimeOffset.MinValue, limit: 10);
        var all = await history.GetStatusChangesAsync(null, DateTimeOffset.MinValue, limit: 10);

        Assert.Equal([Change(Start, "conn-quiet")], quiet);
        Assert.All(all, c => Assert.Equal("conn-flapping", c.ConnectionId));
    }

    [Fact]
    public async Task TryAdd_ManyRecords_AreWrittenInFewTransactionsOfAtMostMaxBatchSize()
    {
        using var directory = new TempDirectory("history-");
        await using var history = new SqliteHealthHistory(
            Options(directory.Path, o => o.MaxBatchSize = 100), new FakeTimeProvider(Start));

        for (int i = 0; i < 1_000; i++)
        {
            Assert.True(history.TryAdd(Sample(Start.AddMilliseconds(i))));
        }
        await history.FlushAsync();

        var statistics = history.Statistics;
        Assert.Equal(1_000, statistics.Written);
        // Full batches wake the writer while records still arrive, so a round may end on a short batch (how often
        // depends on scheduling): about one or two transactions per 100 records, never anywhere near one per record.
        Assert.InRange(statistics.Transactions, 10, 50);
        Assert.Equal(0, statistics.Queued);
    }

    [Fact]
    public async Task TryAdd_FewerThanABatch_WaitsForTheFlushIntervalThenOneTransaction()
    {
        using var directory = new TempDirectory("history-");
        var time = new FakeTimeProvider(Start);
        await using var history = new SqliteHealthHistory(Options(directory.Path, o => o.FlushInterval = TimeSpan.FromSeconds(1)), time);
        await history.FlushAsync(); // the start-up round (prune) is over
        var before = history.Statistics.Transactions;

        for (int i = 0; i < 50; i++)
        {
            history.TryAdd(Sample(Start.AddMilliseconds(i)));
        }
        Assert.Equal(0, history.Statistics.Written); // no batch is full and no interval has passed
        time.Advance(TimeSpan.FromSeconds(1));

        using var deadline = new CancellationTokenSource(Patience);
        await Poll.UntilAsync(() => history.Statistics.Written == 50, TimeSpan.FromMilliseconds(10), () => history.Statistics.ToString(), deadline.Token);
        Assert.Equal(before + 1, history.Statistics.Transactions);
    }

    [Fact]
    public async Task Reopen_SameDirectory_LastRunsRecordsAreStillThere()
    {
        using var directory = new TempDirectory("history-");
        var options = Options(directory.Path);
        await using (var first = new SqliteHealthHistory(options, new FakeTimeProvider(Start)))
        {
            first.TryAdd(Sample(Start));
            first.TryAdd(Change(Start));
            first.TryAdd(Alert(Start));
            // No FlushAsync: disposing writes what is queued.
        }

        await using var second = new SqliteHealthHistory(options, new FakeTimeProvider(Start.AddMinutes(1)));
        second.TryAdd(Sample(Start.AddMinutes(1)));
        await second.FlushAsync();

        Assert.Equal([Sample(Start), Sample(Start.AddMinutes(1))], await second.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal([Change(Start)], await second.GetStatusChangesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal([Alert(Start)], await second.GetAlertsAsync(DateTimeOffset.MinValue, 100));
        await using var connection = new SqliteConnection($"Data Source={second.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA user_version")); // version 2: run ids
    }

    [Fact]
    public async Task TryAdd_QueueFull_DropsCountsLogsOnceAndNeverWaits()
    {
        using var directory = new TempDirectory("history-");
        var logger = new CapturingLogger<SqliteHealthHistory>();
        await using var history = new SqliteHealthHistory(
            Options(directory.Path, o => o.MaxQueuedWrites = 10), new FakeTimeProvider(Start), logger);
        await history.FlushAsync(); // the writer is idle from here: its clock is fake and no batch fills up

        var accepted = Enumerable.Range(0, 15).Select(i => history.TryAdd(Sample(Start.AddMilliseconds(i)))).ToList();

        Assert.Equal(Enumerable.Repeat(true, 10).Concat(Enumerable.Repeat(false, 5)), accepted);
        Assert.Equal(5, history.Statistics.DroppedQueueFull);
        Assert.Equal(10, history.Statistics.Queued);
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("queue is full", StringComparison.Ordinal));

        await history.FlushAsync();
        Assert.True(history.TryAdd(Sample(Start.AddSeconds(1))));
        await history.FlushAsync();
        Assert.Equal(11, history.Statistics.Written);
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesEachBadSetting()
    {
        var options = new HealthHistoryOptions { DataDirectory = " ", Retention = TimeSpan.Zero, FlushInterval = TimeSpan.FromSeconds(-1), MaxBatchSize = 0 };

        var ex = Assert.Throws<OptionsValidationException>(() => new SqliteHealthHistory(options));

        Assert.Contains(ex.Failures, f => f.StartsWith("DataDirectory", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Retention", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("FlushInterval", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MaxBatchSize", StringComparison.Ordinal));
        Assert.Equal(4, ex.Failures.Count());
    }

    [Fact]
    public void DatabasePath_NoDataDirectory_IsHistoryDbInThePerUserDirectory()
    {
        var options = new HealthHistoryOptions();

        Assert.Equal(Path.Combine(HealthHistoryOptions.DefaultDataDirectory, "history.db"), options.DatabasePath);
        Assert.EndsWith("resilink", HealthHistoryOptions.DefaultDataDirectory, StringComparison.Ordinal);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}

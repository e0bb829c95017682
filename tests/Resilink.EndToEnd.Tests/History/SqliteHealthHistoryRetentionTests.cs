using Microsoft.Extensions.Time.Testing;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Hosting.History;
using static Resilink.EndToEnd.Tests.History.HistoryRecords;

namespace Resilink.EndToEnd.Tests.History;

/// <summary>Pruning by <see cref="HealthHistoryOptions.Retention"/>, every <see cref="HealthHistoryOptions.PruneInterval"/> and at start, on a fake clock.</summary>
public sealed class SqliteHealthHistoryRetentionTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task PruneInterval_AfterRetention_DeletesOldRecordsOfEveryKindAndKeepsNewerOnes()
    {
        using var directory = new TempDirectory("history-");
        var time = new FakeTimeProvider(Start);
        await using var history = new SqliteHealthHistory(Options(directory.Path, Configure), time);
        history.TryAdd(Sample(Start));
        history.TryAdd(Change(Start));
        history.TryAdd(Alert(Start));
        history.TryAdd(Sample(Start.AddMinutes(30)));
        await history.FlushAsync();
        Assert.Equal(2, (await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100)).Count);

        time.Advance(Retention + PruneInterval); // the prune timer fires: cutoff = Start + 10 min
        history.TryAdd(Sample(time.GetUtcNow()));
        await history.FlushAsync(); // waits for the round that prunes

        Assert.Equal([Sample(Start.AddMinutes(30)), Sample(time.GetUtcNow())], await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Empty(await history.GetStatusChangesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Empty(await history.GetAlertsAsync(DateTimeOffset.MinValue, 100));
        Assert.Equal(3, history.Statistics.Pruned);
    }

    [Fact]
    public async Task PruneInterval_RecordsWithinRetention_AreKept()
    {
        using var directory = new TempDirectory("history-");
        var time = new FakeTimeProvider(Start);
        await using var history = new SqliteHealthHistory(Options(directory.Path, Configure), time);
        history.TryAdd(Sample(Start));
        await history.FlushAsync();

        time.Advance(Retention - PruneInterval); // five prunes, none of them past the record's retention
        await history.FlushAsync();

        Assert.Single(await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal(0, history.Statistics.Pruned);
    }

    [Fact]
    public async Task PruneInterval_MoreExpiredRowsThanAChunk_PrunedOverSeveralRoundsWhileWritesGoOn()
    {
        using var directory = new TempDirectory("history-");
        var time = new FakeTimeProvider(Start);
        await using var history = new SqliteHealthHistory(Options(directory.Path, o => { Configure(o); o.MaxQueuedWrites = 100_000; }), time);
        var expired = SqliteHealthHistory.PruneChunkRows * 2 + 500;
        for (int i = 0; i < expired; i++)
        {
            history.TryAdd(Sample(Start.AddMilliseconds(i)));
        }
        await history.FlushAsync();

        time.Advance(Retention + PruneInterval);
        history.TryAdd(Sample(time.GetUtcNow()));
        for (int round = 0; round < 10 && history.Statistics.Pruned < expired; round++)
        {
            await history.FlushAsync();
        }

        Assert.Equal(expired, history.Statistics.Pruned);
        Assert.Equal([Sample(time.GetUtcNow())], await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
    }

    [Fact]
    public async Task Retention_MaxValue_KeepsEverythingAndTheWriterRuns()
    {
        using var directory = new TempDirectory("history-");
        var time = new FakeTimeProvider(Start);
        await using var history = new SqliteHealthHistory(Options(directory.Path, o => { Configure(o); o.Retention = TimeSpan.MaxValue; }), time);
        history.TryAdd(Sample(Start));
        await history.FlushAsync();

        time.Advance(TimeSpan.FromDays(400));
        history.TryAdd(Sample(time.GetUtcNow()));
        await history.FlushAsync();

        Assert.Equal(2, (await history.GetSamplesAsync(null, DateTimeOffset.MinValue, 100)).Count);
        Assert.Equal(0, history.Statistics.Pruned);
    }

    [Fact]
    public async Task Start_RecordsOlderThanRetention_ArePrunedAtOnce()
    {
        using var directory = new TempDirectory("history-");
        await using (var first = new SqliteHealthHistory(Options(directory.Path, Configure), new FakeTimeProvider(Start)))
        {
            first.TryAdd(Sample(Start));
            first.TryAdd(Sample(Start.AddHours(1)));
        }

        // Restarted two hours later: the first prune runs at start, not one interval later.
        await using var second = new SqliteHealthHistory(Options(directory.Path, Configure), new FakeTimeProvider(Start.AddHours(2)));
        await second.FlushAsync();

        Assert.Equal([Sample(Start.AddHours(1))], await second.GetSamplesAsync(null, DateTimeOffset.MinValue, 100));
        Assert.Equal(1, second.Statistics.Pruned);
    }

    private static void Configure(HealthHistoryOptions options)
    {
        options.Retention = Retention;
        options.PruneInterval = PruneInterval;
    }
}

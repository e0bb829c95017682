using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Health;
using Resilink.Hosting.Dashboard;
using Resilink.Hosting.History;
using static Resilink.EndToEnd.Tests.History.HistoryRecords;

namespace Resilink.EndToEnd.Tests.History;

/// <summary>Run ids in the history: connection ids restart at c1 with every node start, so two starts' c1 must not mix.</summary>
public sealed class HistoryRunTests
{
    [Fact]
    public async Task TwoRuns_OneDatabase_EachRunsC1IsItsOwn_AndEveryRunsWhenAskedForNone()
    {
        using var directory = new TempDirectory("history-");
        string firstRun;
        await using (var first = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start)))
        {
            firstRun = first.RunId;
            first.TryAdd(Sample(Start, "c1") with { RunId = firstRun });
            first.TryAdd(Change(Start, "c1") with { RunId = firstRun });
        }
        await using var second = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start.AddMinutes(1)));
        second.TryAdd(Sample(Start.AddMinutes(1), "c1", score: 0.5) with { RunId = second.RunId });
        second.TryAdd(Change(Start.AddMinutes(1), "c1") with { RunId = second.RunId });
        await second.FlushAsync();

        Assert.NotEqual(firstRun, second.RunId);
        Assert.Equal([Sample(Start.AddMinutes(1), "c1", score: 0.5) with { RunId = second.RunId }], await second.GetSamplesAsync(second.RunId, "c1", DateTimeOffset.MinValue, 100));
        Assert.Equal([Sample(Start, "c1") with { RunId = firstRun }], await second.GetSamplesAsync(firstRun, "c1", DateTimeOffset.MinValue, 100));
        Assert.Equal([Change(Start.AddMinutes(1), "c1") with { RunId = second.RunId }], await second.GetStatusChangesAsync(second.RunId, "c1", DateTimeOffset.MinValue, 100));
        Assert.Equal([firstRun, second.RunId], (await second.GetSamplesAsync("c1", DateTimeOffset.MinValue, 100)).Select(s => s.RunId));
    }

    [Fact]
    public async Task DashboardHistoryOfC1_TwoRunsInOneDatabase_ShowsOnlyThisRunsC1()
    {
        using var directory = new TempDirectory("history-");
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(now);
        await using (var first = new SqliteHealthHistory(Options(directory.Path), time))
        {
            first.TryAdd(Sample(Whole(now.AddMinutes(-2)), "c1", score: 0.1) with { RunId = first.RunId });
            first.TryAdd(Change(Whole(now.AddMinutes(-2)), "c1") with { RunId = first.RunId });
        }
        await using var second = new SqliteHealthHistory(Options(directory.Path), time);
        second.TryAdd(Sample(Whole(now.AddMinutes(-1)), "c1", score: 0.9) with { RunId = second.RunId });
        await second.FlushAsync();

        using var body = await DashboardHistoryAsync(second, time, "c1");

        var sample = Assert.Single(body.RootElement.GetProperty("samples").EnumerateArray());
        Assert.Equal(0.9, sample.GetProperty("score").GetDouble());
        Assert.Equal(0, body.RootElement.GetProperty("statusChanges").GetArrayLength()); // the first run's c1 change is not this c1's
    }

    [Fact]
    public async Task Open_VersionOneDatabase_AddsRunIdColumnsKeepingOldRowsAsNoRun()
    {
        using var directory = new TempDirectory("history-");
        var path = Options(directory.Path).DatabasePath;
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE samples (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, peer TEXT NOT NULL, connection TEXT NOT NULL,
                    status TEXT NOT NULL, score REAL NOT NULL, rtt_p50_ms REAL NOT NULL, rtt_p95_ms REAL NOT NULL,
                    active_streams INTEGER NOT NULL, bytes_per_second REAL NOT NULL);
                CREATE TABLE status_changes (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, peer TEXT NOT NULL, connection TEXT NOT NULL,
                    previous TEXT NOT NULL, current TEXT NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL);
                CREATE TABLE alerts (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, alert_id TEXT NOT NULL, rule TEXT NOT NULL,
                    level TEXT NOT NULL, service TEXT NOT NULL, message TEXT NOT NULL, resolved INTEGER NOT NULL);
                INSERT INTO samples (ts, peer, connection, status, score, rtt_p50_ms, rtt_p95_ms, active_streams, bytes_per_second)
                    VALUES ($ts, '12D3KooWPeer', 'c1', 'Healthy', 0.93, 1.25, 3.5, 2, 4096.5);
                PRAGMA user_version = 1;
                """;
            create.Parameters.AddWithValue("$ts", Start.ToUnixTimeMilliseconds());
            await create.ExecuteNonQueryAsync();
        }

        await using var history = new SqliteHealthHistory(Options(directory.Path), new FakeTimeProvider(Start.AddMinutes(1)));
        history.TryAdd(Sample(Start.AddMinutes(1), "c1") with { RunId = history.RunId });
        await history.FlushAsync();

        Assert.Equal([Sample(Start, "c1"), Sample(Start.AddMinutes(1), "c1") with { RunId = history.RunId }], await history.GetSamplesAsync("c1", DateTimeOffset.MinValue, 100));
        Assert.Equal([Sample(Start.AddMinutes(1), "c1") with { RunId = history.RunId }], await history.GetSamplesAsync(history.RunId, "c1", DateTimeOffset.MinValue, 100));
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(2L, await version.ExecuteScalarAsync());
    }

    /// <summary>The dashboard's answer for <paramref name="connection"/>'s history, read from <paramref name="store"/>.</summary>
    private static async Task<JsonDocument> DashboardHistoryAsync(IHealthHistory store, TimeProvider time, string connection)
    {
        await using var services = new ServiceCollection().AddLogging().AddSingleton(store).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var result = await DashboardEndpoints.History(context, time, connection, minutes: 10);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return await JsonDocument.ParseAsync(context.Response.Body);
    }

    private static DateTimeOffset Whole(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}

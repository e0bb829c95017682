using System.Diagnostics;
using System.Globalization;
using Resilink.EndToEnd.Tests.Support;
using Resilink.Health;
using Resilink.Hosting.History;

namespace Resilink.E2e.Scenarios;

/// <summary>
/// (s1) The SQLite history writer's sustained rate: one producer offers health samples (100 connections) to a
/// <see cref="SqliteHealthHistory"/> with the default options on a fresh file as fast as the queue takes them,
/// pausing 1 ms whenever it is full, for a fixed window; the rate is what the writer committed in that window.
/// Also shows what one <c>TryAdd</c> costs the caller (the hot path), transactions and drops.
/// </summary>
internal static class HistoryWriterScenario
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(TimeSpan window, int repeat, CancellationToken cancellationToken)
    {
        var defaults = new HealthHistoryOptions();
        Console.WriteLine(Text($"(s1) SQLite history writer: {window.TotalSeconds:0} s window after {Warmup.TotalSeconds:0} s warm-up, {repeat} rounds, fresh history.db in the temp folder each round; MaxBatchSize {defaults.MaxBatchSize}, MaxQueuedWrites {defaults.MaxQueuedWrites}, FlushInterval {defaults.FlushInterval.TotalSeconds:0} s."));
        var rounds = new List<Result>();
        for (var round = 1; round <= repeat; round++)
        {
            var result = await RunOneAsync(window, cancellationToken);
            rounds.Add(result);
            Console.WriteLine(Text($"     round {round}: {result.SamplesPerSecond:0} samples/s, {result.RowsPerTransaction:0} rows per transaction, TryAdd {result.TryAddNanoseconds:0} ns, {result.DroppedQueueFull} offers refused (queue full), {result.FileMiB:0.0} MiB on disk"));
        }

        var sorted = rounds.OrderBy(r => r.SamplesPerSecond).ToList();
        var median = sorted[sorted.Count / 2];
        Console.WriteLine(Text($"(s1) Median over {repeat} rounds: {median.SamplesPerSecond:0} samples/s sustained (min {sorted[0].SamplesPerSecond:0}, max {sorted[^1].SamplesPerSecond:0}); TryAdd {median.TryAddNanoseconds:0} ns per call."));
    }

    private static async Task<Result> RunOneAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory("resilink-history-bench-");
        await using var history = new SqliteHealthHistory(new HealthHistoryOptions { DataDirectory = directory.Path });
        var connections = Enumerable.Range(0, 100).Select(i => "conn-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var start = DateTimeOffset.UtcNow;
        long offered = 0;
        long accepted = 0;
        long ticksInTryAdd = 0;

        async Task ProduceAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                // Offers in bursts of 100 (one sample interval of 100 connections), timed as the caller sees them.
                var begun = Stopwatch.GetTimestamp();
                var full = false;
                for (var i = 0; i < connections.Length; i++)
                {
                    var sample = new HealthSampleRecord(
                        start.AddMilliseconds(offered), "12D3KooWPeer", connections[i], HealthStatus.Healthy, 0.95, 1.2, 2.5, 3, 65_536);
                    offered++;
                    if (history.TryAdd(sample))
                    {
                        accepted++;
                    }
                    else
                    {
                        full = true;
                    }
                }
                ticksInTryAdd += Stopwatch.GetTimestamp() - begun;
                if (full)
                {
                    await Task.Delay(1, cancellationToken); // the queue is full: let the writer have the core
                }
            }
        }

        await ProduceAsync(Warmup);
        var before = history.Statistics;
        (offered, accepted, ticksInTryAdd) = (0, 0, 0);
        var watch = Stopwatch.StartNew();
        await ProduceAsync(window);
        var after = history.Statistics;
        var elapsed = watch.Elapsed;
        await history.FlushAsync(cancellationToken);
        var written = after.Written - before.Written;
        var transactions = after.Transactions - before.Transactions;
        var fileBytes = Directory.GetFiles(directory.Path).Sum(f => new FileInfo(f).Length);
        return new Result(
            written / elapsed.TotalSeconds,
            transactions == 0 ? 0 : (double)written / transactions,
            Stopwatch.GetElapsedTime(0, ticksInTryAdd).TotalNanoseconds / Math.Max(1, offered),
            after.DroppedQueueFull - before.DroppedQueueFull,
            fileBytes / 1024.0 / 1024.0);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Result(double SamplesPerSecond, double RowsPerTransaction, double TryAddNanoseconds, long DroppedQueueFull, double FileMiB);
}

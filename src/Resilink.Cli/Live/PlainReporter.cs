using System.Globalization;

namespace Resilink.Cli.Live;

/// <summary>
/// The live table's stand-in when output is not a terminal (CI, pipes, <c>--json</c>): every <c>interval</c> one line of
/// totals, optionally one line per connection, and each new event once. Plain text, no colours or cursor moves.
/// </summary>
internal static class PlainReporter
{
    /// <summary>Reports until <paramref name="cancellationToken"/> is cancelled, then once more and returns.</summary>
    /// <param name="view">The current view.</param>
    /// <param name="newEvents">Events not printed yet (each returned once).</param>
    /// <param name="output">Where lines go (stderr when stdout carries JSON).</param>
    /// <param name="interval">Time between reports.</param>
    /// <param name="rows">Whether to print a line per connection each time.</param>
    /// <param name="cancellationToken">Stops the reports.</param>
    public static Task RunAsync(
        Func<HealthView> view, Func<IReadOnlyList<string>> newEvents, TextWriter output, TimeSpan interval, bool rows, CancellationToken cancellationToken) =>
        RefreshLoop.RunAsync(() => WriteAsync(view(), newEvents(), output, rows), interval, cancellationToken);

    private static async Task WriteAsync(HealthView view, IReadOnlyList<string> events, TextWriter output, bool rows)
    {
        foreach (var e in events)
        {
            await output.WriteLineAsync("event " + e);
        }
        var counts = string.Join(' ', view.Rows.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
        await output.WriteLineAsync($"{view.Title}: {view.Rows.Count} connections {counts}{(view.StatusLine is null ? "" : "; " + view.StatusLine)}");
        if (rows)
        {
            foreach (var r in view.Rows)
            {
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {r.Peer} {r.Connection} {r.Status} score={r.Score:0.00} rtt_p50={r.RttP50.TotalMilliseconds:0.0}ms rtt_p95={r.RttP95.TotalMilliseconds:0.0}ms streams={r.ActiveStreams} bytes/s={r.BytesPerSecond:0}{(r.Note is null ? "" : " fault=" + r.Note)}"));
            }
        }
        await output.FlushAsync();
    }
}

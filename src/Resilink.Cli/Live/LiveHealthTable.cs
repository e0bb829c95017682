using System.Globalization;
using Resilink.Health;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Resilink.Cli.Live;

/// <summary>
/// The live connection health table of <c>resilink demo</c> and <c>resilink watch</c>: a Spectre.Console
/// <see cref="LiveDisplay"/> redrawn every <c>refresh</c> from a fresh <see cref="HealthView"/>, status coloured
/// (green Healthy, yellow Degraded, red Unhealthy, bold red Dead), with a totals line and the latest events under it.
/// Only for a terminal; pipes get <see cref="PlainReporter"/>.
/// </summary>
internal static class LiveHealthTable
{
    /// <summary>Lines the table needs besides its rows: title, borders, header, totals, events.</summary>
    private const int ChromeLines = 8 + EventLines;

    /// <summary>Events shown under the table, one a line.</summary>
    private const int EventLines = 6;

    /// <summary>Redraws until <paramref name="cancellationToken"/> is cancelled, then draws a last time and returns.</summary>
    public static async Task RunAsync(Func<HealthView> view, TimeSpan refresh, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(Render(view()))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(context => RefreshLoop.RunAsync(
                () =>
                {
                    context.UpdateTarget(Render(view()));
                    return Task.CompletedTask;
                },
                refresh,
                cancellationToken));
    }

    /// <summary>
    /// The renderable for one view. Compact enough for 80 columns; when the rows do not fit the terminal's height, the
    /// sick and faulted connections are kept and the others counted in the caption.
    /// </summary>
    public static IRenderable Render(HealthView view)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(view.Title))
            .AddColumn("peer").AddColumn("conn").AddColumn("status")
            .AddColumn(new TableColumn("score").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned())
            .AddColumn(new TableColumn("p95 ms").RightAligned())
            .AddColumn(new TableColumn("strm").RightAligned())
            .AddColumn(new TableColumn("bytes/s").RightAligned())
            .AddColumn("fault");
        var fit = Console.IsOutputRedirected || Console.WindowHeight <= 0 ? view.Rows.Count : Math.Max(5, Console.WindowHeight - ChromeLines);
        var shown = view.Rows.Count <= fit
            ? view.Rows
            : [.. view.Rows.Select((row, index) => (row, index))
                .OrderByDescending(x => x.row.Note is not null || x.row.Status is HealthStatus.Degraded or HealthStatus.Unhealthy or HealthStatus.Dead)
                .ThenBy(x => x.index)
                .Take(fit)
                .OrderBy(x => x.index)
                .Select(x => x.row)];
        foreach (var row in shown)
        {
            table.AddRow(
                Markup.Escape(row.Peer),
                Markup.Escape(row.Connection),
                Status(row.Status),
                Text($"{row.Score:0.00}"),
                Text($"{row.RttP50.TotalMilliseconds:0.0}"),
                Text($"{row.RttP95.TotalMilliseconds:0.0}"),
                Text($"{row.ActiveStreams}"),
                Text($"{row.BytesPerSecond:0}"),
                row.Note is null ? "" : $"[magenta]{Markup.Escape(row.Note)}[/]");
        }
        if (view.Rows.Count > shown.Count)
        {
            table.Caption(Text($"{view.Rows.Count - shown.Count} more healthy connections not shown (terminal too short)"));
        }
        var parts = new List<IRenderable> { table };
        if (view.StatusLine is not null)
        {
            parts.Add(new Markup(Markup.Escape(view.StatusLine)));
        }
        parts.Add(new Markup(view.Events.Count == 0 ? "[grey]no events yet[/]" : "[grey]recent events:[/]"));
        parts.AddRange(view.Events.TakeLast(EventLines).Select(e => new Markup("  " + Markup.Escape(e))));
        return new Rows(parts);
    }

    /// <summary>The status with its colour.</summary>
    public static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "[green]Healthy[/]",
        HealthStatus.Degraded => "[yellow]Degraded[/]",
        HealthStatus.Unhealthy => "[red]Unhealthy[/]",
        HealthStatus.Dead => "[bold red]Dead[/]",
        HealthStatus.Closed => "[grey]Closed[/]",
        _ => "[grey]Unknown[/]",
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

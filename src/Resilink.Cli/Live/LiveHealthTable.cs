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
    /// <summary>More rows than this show the sickest first and a count of the rest, so the table fits a screen.</summary>
    private const int MaxRows = 30;

    /// <summary>Redraws until <paramref name="cancellationToken"/> is cancelled, then draws a last time and returns.</summary>
    public static async Task RunAsync(Func<HealthView> view, TimeSpan refresh, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(Render(view()))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(refresh);
                try
                {
                    while (await timer.WaitForNextTickAsync(cancellationToken))
                    {
                        context.UpdateTarget(Render(view()));
                    }
                }
                catch (OperationCanceledException)
                {
                    // Done: the final view below.
                }
                context.UpdateTarget(Render(view()));
            });
    }

    /// <summary>The renderable for one view.</summary>
    public static IRenderable Render(HealthView view)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(view.Title))
            .AddColumn("peer").AddColumn("connection").AddColumn("status")
            .AddColumn(new TableColumn("score").RightAligned())
            .AddColumn(new TableColumn("rtt p50 ms").RightAligned())
            .AddColumn(new TableColumn("rtt p95 ms").RightAligned())
            .AddColumn(new TableColumn("streams").RightAligned())
            .AddColumn(new TableColumn("bytes/s").RightAligned())
            .AddColumn("fault");
        var rows = view.Rows.Count <= MaxRows
            ? view.Rows
            : [.. view.Rows.OrderByDescending(r => r.Note is not null).ThenByDescending(r => r.Status).Take(MaxRows)];
        foreach (var row in rows)
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
        if (view.Rows.Count > rows.Count)
        {
            table.Caption(Text($"… and {view.Rows.Count - rows.Count} more connections"));
        }
        var parts = new List<IRenderable> { table };
        if (view.StatusLine is not null)
        {
            parts.Add(new Markup(Markup.Escape(view.StatusLine)));
        }
        parts.Add(new Markup(view.Events.Count == 0
            ? "[grey]events: none yet[/]"
            : "[grey]events:[/] " + string.Join("  [grey]|[/]  ", view.Events.Select(Markup.Escape))));
        return new Rows(parts);
    }

    /// <summary>The status with its colour.</summary>
    public static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "[green]Healthy[/]",
        HealthStatus.Degraded => "[yellow]Degraded[/]",
        HealthStatus.Unhealthy => "[red]Unhealthy[/]",
        HealthStatus.Dead => "[bold red]Dead[/]",
        _ => "[grey]Unknown[/]",
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

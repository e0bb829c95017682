using Resilink.Balancing;
using ScottPlot;

namespace Resilink.E2e.Scenarios.Health;

/// <summary>
/// Draws (h1)'s result as a PNG: p50 and p99 per strategy with one of three connections degraded, next to the healthy
/// baseline's, so the README can show at a glance which strategies route around a slow connection.
/// </summary>
internal static class StrategyLatencyPlot
{
    public static void Save(
        string path, LatencySummary baseline, IReadOnlyList<(LoadBalancingStrategyKind Strategy, LatencySummary Degraded)> results, string caption)
    {
        var plot = new Plot();
        var p50Colour = Colors.SteelBlue;
        var p99Colour = Colors.OrangeRed;
        var ticks = new List<Tick>();
        var bars = new List<Bar>();
        void Group(double position, string label, LatencySummary latency)
        {
            bars.Add(new Bar { Position = position - 0.2, Value = latency.P50, FillColor = p50Colour, Size = 0.4, Label = $"{latency.P50:0.0}" });
            bars.Add(new Bar { Position = position + 0.2, Value = latency.P99, FillColor = p99Colour, Size = 0.4, Label = $"{latency.P99:0.0}" });
            ticks.Add(new Tick(position, label));
        }

        Group(0, "baseline\n(all healthy)", baseline);
        for (var i = 0; i < results.Count; i++)
        {
            Group(i + 1, results[i].Strategy.ToString(), results[i].Degraded);
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = "request latency (ms)";
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title("Echo latency per strategy, one of three connections +200 ms RTT");
        plot.Axes.Bottom.Label.Text = caption;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "p50", FillColor = p50Colour });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "p99", FillColor = p99Colour });
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 480);
    }
}

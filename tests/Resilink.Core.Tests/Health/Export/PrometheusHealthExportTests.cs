using System.Globalization;
using Resilink.Health;
using Resilink.Tests.Shared;

namespace Resilink.Core.Tests.Health.Export;

public class PrometheusHealthExportTests
{
    private const string A1 = "peer=\"peer-a\",connection=\"a1\"";
    private const string B1 = "peer=\"peer-b\",connection=\"b1\"";

    private static readonly string[] NetworkFamilies =
    [
        "resilink_health_peers",
        "resilink_health_connections",
        "resilink_health_connections_by_status",
        "resilink_health_average",
        "resilink_health_min",
    ];

    private static readonly string[] ConnectionFamilies =
    [
        "resilink_health_connection_status",
        "resilink_health_connection_score",
        "resilink_health_connection_phi",
        "resilink_health_connection_rtt_seconds",
        "resilink_health_connection_rtt_average_seconds",
        "resilink_health_connection_rtt_last_seconds",
        "resilink_health_connection_ping_success_ratio",
        "resilink_health_connection_pings_total",
        "resilink_health_connection_ping_failures_total",
        "resilink_health_connection_active_streams",
        "resilink_health_connection_streams_opened_total",
        "resilink_health_connection_failed_streams_total",
        "resilink_health_connection_bytes_total",
        "resilink_health_connection_bandwidth_bytes_per_second",
        "resilink_health_connection_age_seconds",
        "resilink_health_connection_routable",
    ];

    private static string Export(NetworkHealthSummary summary) => HealthExporter.Export(summary, HealthExportFormat.Prometheus);

    private static string[] Lines(string exposition) => exposition.Split('\n');

    [Fact]
    public async Task Export_TwoPeers_PassesPromtool()
    {
        await Promtool.AssertCleanAsync(Export(HealthSnapshotExamples.TwoPeers()));
    }

    [Fact]
    public async Task Export_EmptySummary_PassesPromtool()
    {
        await Promtool.AssertCleanAsync(Export(HealthSnapshotExamples.Empty()));
    }

    [Fact]
    public async Task Export_TrickyLabelValues_PassesPromtool()
    {
        await Promtool.AssertCleanAsync(Export(HealthSnapshotExamples.Tricky("peer \"q\" \\b\\ n\nl ünï🚀 \r\t", "c\\\"\n")));
    }

    [Fact]
    public async Task Export_NonFiniteValues_PassesPromtool()
    {
        ConnectionHealthSnapshot odd = HealthSnapshotExamples.Connection("p", "c") with
        {
            Score = double.NaN,
            Phi = double.PositiveInfinity,
            PingSuccessRate = double.NegativeInfinity,
        };

        await Promtool.AssertCleanAsync(Export(HealthSnapshotExamples.Single(odd)));
    }

    [Fact]
    public void Export_TwoPeers_WritesEveryFamilyOnceWithHelpAndType()
    {
        List<ExpositionFamilies.Family> families = ExpositionFamilies.Parse(Export(HealthSnapshotExamples.TwoPeers()));

        Assert.Equal([.. NetworkFamilies, .. ConnectionFamilies], families.Select(f => f.Name));
        Assert.All(families, f => Assert.NotEmpty(f.Samples));
        Assert.All(families, f => Assert.Equal(f.Name.EndsWith("_total", StringComparison.Ordinal) ? "counter" : f.Name == "resilink_health_connection_rtt_seconds" ? "summary" : "gauge", f.Type));
    }

    [Fact]
    public void Export_EmptySummary_WritesOnlyNetworkFamiliesWithZeros()
    {
        string exposition = Export(HealthSnapshotExamples.Empty());
        List<ExpositionFamilies.Family> families = ExpositionFamilies.Parse(exposition);

        Assert.Equal(NetworkFamilies, families.Select(f => f.Name));
        Assert.Contains("resilink_health_peers 0", Lines(exposition));
        Assert.Contains("resilink_health_connections 0", Lines(exposition));
        Assert.Contains("resilink_health_connections_by_status{status=\"dead\"} 0", Lines(exposition));
        Assert.Contains("resilink_health_min 0", Lines(exposition));
    }

    [Fact]
    public void Export_TwoPeers_WritesNetworkValues()
    {
        string[] lines = Lines(Export(HealthSnapshotExamples.TwoPeers()));

        Assert.Contains("resilink_health_peers 2", lines);
        Assert.Contains("resilink_health_connections 3", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"unknown\"} 0", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"healthy\"} 1", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"degraded\"} 1", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"unhealthy\"} 0", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"dead\"} 1", lines);
        Assert.Contains("resilink_health_connections_by_status{status=\"closed\"} 0", lines);
        Assert.Contains("resilink_health_average 0.4583333333333333", lines);
        Assert.Contains("resilink_health_min 0", lines);
    }

    [Fact]
    public void Export_TwoPeers_WritesConnectionValuesInBaseUnits()
    {
        string[] lines = Lines(Export(HealthSnapshotExamples.TwoPeers()));

        Assert.Contains($"resilink_health_connection_score{{{A1}}} 0.875", lines);
        Assert.Contains($"resilink_health_connection_phi{{{A1}}} 0.25", lines);
        Assert.Contains($"resilink_health_connection_rtt_seconds{{{A1},quantile=\"0.5\"}} 0.009", lines);
        Assert.Contains($"resilink_health_connection_rtt_seconds{{{A1},quantile=\"0.95\"}} 0.02", lines);
        Assert.Contains($"resilink_health_connection_rtt_seconds{{{A1},quantile=\"0.99\"}} 0.031", lines);
        Assert.Contains($"resilink_health_connection_rtt_seconds_count{{{A1}}} 40", lines);
        Assert.Contains($"resilink_health_connection_rtt_average_seconds{{{A1}}} 0.01", lines);
        Assert.Contains($"resilink_health_connection_rtt_last_seconds{{{A1}}} 0.012", lines);
        Assert.Contains($"resilink_health_connection_ping_success_ratio{{{A1}}} 0.95", lines);
        Assert.Contains($"resilink_health_connection_pings_total{{{A1}}} 42", lines);
        Assert.Contains($"resilink_health_connection_ping_failures_total{{{A1}}} 2", lines);
        Assert.Contains($"resilink_health_connection_active_streams{{{A1}}} 3", lines);
        Assert.Contains($"resilink_health_connection_streams_opened_total{{{A1}}} 17", lines);
        Assert.Contains($"resilink_health_connection_failed_streams_total{{{A1}}} 4", lines);
        Assert.Contains($"resilink_health_connection_age_seconds{{{A1}}} 90.5", lines);
        Assert.Contains($"resilink_health_connection_routable{{{A1}}} 1", lines);
        Assert.Contains($"resilink_health_connection_routable{{{B1}}} 0", lines);
    }

    [Fact]
    public void Export_TwoPeers_WritesBytesAndBandwidthByDirectionAndKind()
    {
        string[] lines = Lines(Export(HealthSnapshotExamples.TwoPeers()));

        Assert.Contains($"resilink_health_connection_bytes_total{{{A1},direction=\"in\"}} 1000", lines);
        Assert.Contains($"resilink_health_connection_bytes_total{{{A1},direction=\"out\"}} 2000", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"in\",kind=\"current\"}} 10.5", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"in\",kind=\"average\"}} 8", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"in\",kind=\"peak\"}} 100", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"out\",kind=\"current\"}} 20.25", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"out\",kind=\"average\"}} 16", lines);
        Assert.Contains($"resilink_health_connection_bandwidth_bytes_per_second{{{A1},direction=\"out\",kind=\"peak\"}} 200", lines);
    }

    [Fact]
    public void Export_Connection_WritesOneHotStatus()
    {
        string[] statusLines = Lines(Export(HealthSnapshotExamples.TwoPeers()))
            .Where(l => l.StartsWith($"resilink_health_connection_status{{{A1},", StringComparison.Ordinal))
            .ToArray();

        Assert.Equal(
            [
                $"resilink_health_connection_status{{{A1},status=\"unknown\"}} 0",
                $"resilink_health_connection_status{{{A1},status=\"healthy\"}} 1",
                $"resilink_health_connection_status{{{A1},status=\"degraded\"}} 0",
                $"resilink_health_connection_status{{{A1},status=\"unhealthy\"}} 0",
                $"resilink_health_connection_status{{{A1},status=\"dead\"}} 0",
                $"resilink_health_connection_status{{{A1},status=\"closed\"}} 0",
            ],
            statusLines);
    }

    [Fact]
    public void Export_NoAnsweredPing_WritesNaNRttAndZeroCount()
    {
        string[] lines = Lines(Export(HealthSnapshotExamples.TwoPeers()));

        Assert.Contains($"resilink_health_connection_rtt_seconds{{{B1},quantile=\"0.95\"}} NaN", lines);
        Assert.Contains($"resilink_health_connection_rtt_seconds_count{{{B1}}} 0", lines);
        Assert.Contains($"resilink_health_connection_rtt_average_seconds{{{B1}}} NaN", lines);
        Assert.Contains($"resilink_health_connection_rtt_last_seconds{{{B1}}} NaN", lines);
        Assert.Contains($"resilink_health_connection_phi{{{B1}}} +Inf", lines);
    }

    [Fact]
    public void Export_TrickyLabelValues_EscapesBackslashQuoteAndNewline()
    {
        string exposition = Export(HealthSnapshotExamples.Tricky("a\"b\\c\nd ü🚀", "x"));

        Assert.Contains("resilink_health_connection_score{peer=\"a\\\"b\\\\c\\nd ü🚀\",connection=\"x\"} 0.875", Lines(exposition));
    }

    [Fact]
    public void Export_CommaDecimalCulture_WritesInvariantNumbers()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        try
        {
            CultureInfo.CurrentCulture = comma;
            string[] lines = Lines(Export(HealthSnapshotExamples.TwoPeers()));

            Assert.Contains($"resilink_health_connection_score{{{A1}}} 0.875", lines);
            Assert.Contains($"resilink_health_connection_bytes_total{{{A1},direction=\"out\"}} 2000", lines);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}

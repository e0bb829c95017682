using System.Net.Http.Headers;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Resilink.Telemetry.Tests.Support;
using Resilink.Tests.Shared;

namespace Resilink.Telemetry.Tests.OpenTelemetry;

/// <summary>
/// What Prometheus actually scrapes: the OpenTelemetry Prometheus exporter's text for every instrument, checked
/// against the names alert rules and dashboards use, and by the real <c>promtool check metrics</c>. Set
/// <c>RESILINK_PROMETHEUS_DUMP</c> to a file path to keep the scraped text.
/// </summary>
public sealed class PrometheusExportTests
{
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    [Fact]
    public async Task Scrape_EveryReportKind_HasTheTablePrometheusNames()
    {
        string text = await ScrapeEveryKindAsync(accept: null);

        Assert.All(ExpectedInstruments.All, row =>
            Assert.True(HasTypeLine(text, row.PrometheusName), $"no family {row.PrometheusName} for {row.Name} in:\n{text}"));
        Assert.Equal(ExpectedSampleNames(), ResilinkSampleNames(text));
    }

    [Fact]
    public async Task Scrape_OpenMetricsNegotiated_HasTheSameSampleNames()
    {
        string text = await ScrapeEveryKindAsync(OpenMetrics);

        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.Equal(ExpectedSampleNames(), ResilinkSampleNames(text));
    }

    [Fact]
    public async Task Scrape_EveryReportKind_HasPrometheusTypesAndLabels()
    {
        string text = await ScrapeEveryKindAsync(accept: null);

        Assert.Contains("# TYPE resilink_connection_attempts_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE resilink_connections_active gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE resilink_connection_rtt_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE resilink_pool_utilization gauge", text, StringComparison.Ordinal);
        Assert.Contains("le=\"0.0005\"", text, StringComparison.Ordinal);
        Assert.Matches("resilink_connection_errors_total\\{[^}]*error_type=\"timeout\"", text);
        Assert.Matches("resilink_messages_total\\{[^}]*message_type=\"ping\"", text);
        Assert.Matches("resilink_circuit_breaker_state\\{[^}]*state=\"open\"[^}]*\\} 1\n", text);
        Assert.Matches("resilink_connections_active\\{[^}]*state=\"connected\"[^}]*\\} 1\n", text);
        Assert.Matches("resilink_pool_utilization\\{[^}]*pool=\"default\"[^}]*\\} 0.75\n", text);
    }

    [Fact]
    public async Task Scrape_EveryReportKind_PassesPromtoolCheckMetrics()
    {
        string text = await ScrapeEveryKindAsync(accept: null);

        await Promtool.AssertCleanAsync(text);
    }

    private static async Task<string> ScrapeEveryKindAsync(string? accept)
    {
        int port = FreePort.Next();
        using var h = new MonitorHarness();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddResilinkInstrumentation()
            .KeepOnly(h.Instruments.Meter)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
            })
            .Build();
        ScriptedReports.ReportEveryKind(h.Monitor, h.Time);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (accept is not null)
        {
            http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

        string? dump = Environment.GetEnvironmentVariable("RESILINK_PROMETHEUS_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            await File.WriteAllTextAsync(accept is null ? dump : dump + ".openmetrics", text);
        }
        return text;
    }

    private static bool HasTypeLine(string text, string name) =>
        text.Split('\n').Any(line => line.StartsWith($"# TYPE {name} ", StringComparison.Ordinal));

    // Histograms are scraped as _bucket, _sum and _count series; everything else under its own name.
    private static SortedSet<string> ExpectedSampleNames() =>
        new(
            ExpectedInstruments.All.SelectMany(r => r.Kind == "Histogram`1"
                ? new[] { r.PrometheusName + "_bucket", r.PrometheusName + "_sum", r.PrometheusName + "_count" }
                : [r.PrometheusName]),
            StringComparer.Ordinal);

    // Sample names of resilink_* series; OpenMetrics' _created series (counter and histogram start times) left out.
    private static SortedSet<string> ResilinkSampleNames(string text) =>
        new(
            text.Split('\n')
                .Where(line => line.StartsWith("resilink_", StringComparison.Ordinal))
                .Select(line => line[..line.IndexOfAny(['{', ' '])])
                .Where(name => !name.EndsWith("_created", StringComparison.Ordinal)),
            StringComparer.Ordinal);
}

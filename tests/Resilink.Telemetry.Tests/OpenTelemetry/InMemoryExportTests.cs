using OpenTelemetry;
using OpenTelemetry.Metrics;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.OpenTelemetry;

public sealed class InMemoryExportTests
{
    [Fact]
    public void AddResilinkInstrumentation_EveryReportKind_ExportsEveryInstrumentWithItsNameAndUnit()
    {
        using var h = new MonitorHarness();
        var exported = new List<MetricSnapshot>();
        using (MeterProvider provider = BuildProvider(h, exported))
        {
            ScriptedReports.ReportEveryKind(h.Monitor, h.Time);
            provider.ForceFlush();
        }

        var actual = exported.Select(m => (m.Name, m.Unit)).Distinct().OrderBy(m => m.Name, StringComparer.Ordinal);
        var expected = ExpectedInstruments.All.Select(r => (r.Name, r.Unit)).OrderBy(m => m.Name, StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(exported, m => Assert.Equal("Resilink", m.MeterName));
    }

    [Fact]
    public void AddResilinkInstrumentation_EveryReportKind_ExportsInstrumentKindsAsOpenTelemetryMetricTypes()
    {
        using var h = new MonitorHarness();
        var exported = new List<MetricSnapshot>();
        using (MeterProvider provider = BuildProvider(h, exported))
        {
            ScriptedReports.ReportEveryKind(h.Monitor, h.Time);
            provider.ForceFlush();
        }

        Assert.Equal(MetricType.LongSum, Find(exported, "resilink.connection.attempts").MetricType);
        Assert.Equal(MetricType.LongSumNonMonotonic, Find(exported, "resilink.connections.active").MetricType);
        Assert.Equal(MetricType.Histogram, Find(exported, "resilink.connection.rtt").MetricType);
        Assert.Equal(MetricType.Histogram, Find(exported, "resilink.message.size").MetricType);
        Assert.Equal(MetricType.DoubleGauge, Find(exported, "resilink.pool.utilization").MetricType);
    }

    [Fact]
    public void AddResilinkInstrumentation_RttHistogram_UsesAdvisedSecondBuckets()
    {
        using var h = new MonitorHarness();
        var exported = new List<MetricSnapshot>();
        using (MeterProvider provider = BuildProvider(h, exported))
        {
            ScriptedReports.ReportEveryKind(h.Monitor, h.Time);
            provider.ForceFlush();
        }

        MetricPoint point = Assert.Single(Find(exported, "resilink.connection.rtt").MetricPoints);
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in point.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity], bounds);
        Assert.Equal(1, point.GetHistogramCount());
        Assert.Equal(0.012, point.GetHistogramSum(), precision: 9);
    }

    [Fact]
    public void AddResilinkInstrumentation_EveryReportKind_ExportsTheScriptedValues()
    {
        using var h = new MonitorHarness();
        var exported = new List<MetricSnapshot>();
        using (MeterProvider provider = BuildProvider(h, exported))
        {
            ScriptedReports.ReportEveryKind(h.Monitor, h.Time);
            provider.ForceFlush();
        }

        Assert.Equal(3, SumLong(Find(exported, "resilink.connection.attempts")));
        Assert.Equal(1500, SumLong(Find(exported, "resilink.connection.bytes")));
        Assert.Equal(1, SumLong(Find(exported, "resilink.peers.connected")));
        Assert.Equal(90.0, Find(exported, "resilink.connection.duration").MetricPoints.Single().GetHistogramSum());
        Assert.Equal(0.75, Find(exported, "resilink.pool.utilization").MetricPoints.Single().GetGaugeLastValueDouble());
    }

    private static MeterProvider BuildProvider(MonitorHarness h, List<MetricSnapshot> exported) =>
        Sdk.CreateMeterProviderBuilder()
            .AddResilinkInstrumentation()
            .KeepOnly(h.Instruments.Meter)
            .AddInMemoryExporter(exported)
            .Build();

    private static MetricSnapshot Find(List<MetricSnapshot> exported, string name) => exported.Last(m => m.Name == name);

    private static long SumLong(MetricSnapshot metric) => metric.MetricPoints.Sum(p => p.GetSumLong());
}

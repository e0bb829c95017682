using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.OpenTelemetry;

public sealed class OtlpExportTests
{
    [Fact]
    public void AddOtlpExporter_NoCollectorListening_BuildsAndDisposesMeterProviderCleanly()
    {
        var endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var h = new MonitorHarness();

        MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddResilinkInstrumentation()
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.TimeoutMilliseconds = 2000;
            })
            .Build();
        ScriptedReports.ReportEveryKind(h.Monitor, h.Time);
        var clock = Stopwatch.StartNew();
        provider.Dispose();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"disposing took {clock.Elapsed}");
    }

    [Fact]
    public void AddOtlpExporter_NoCollectorListening_BuildsAndDisposesTracerProviderCleanly()
    {
        var endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var source = new ActivitySource(ResilinkTelemetryConstants.ActivitySourceName);

        TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddResilinkInstrumentation()
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.TimeoutMilliseconds = 2000;
            })
            .Build();
        using (Activity? dial = source.StartActivity("dial"))
        {
            Assert.NotNull(dial);
        }
        provider.Dispose();
    }
}

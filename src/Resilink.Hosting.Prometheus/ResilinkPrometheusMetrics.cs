using OpenTelemetry;
using OpenTelemetry.Metrics;
using Resilink.Telemetry;

namespace Resilink.Hosting.Prometheus;

/// <summary>
/// A meter provider of Resilink's own, listening to the <c>Resilink</c> meter only, with the Prometheus exporter
/// that <c>MapResilinkPrometheusEndpoint</c> serves. It is not the application's: the app's OpenTelemetry (its
/// resource, providers and exporters) stays as the app set it up. The container disposes it.
/// </summary>
internal sealed class ResilinkPrometheusMetrics : IDisposable
{
    public ResilinkPrometheusMetrics() =>
        MeterProvider = Sdk.CreateMeterProviderBuilder()
            .AddResilinkInstrumentation()
            // Every scrape sees the values of that moment: Prometheus' own interval is the only cadence.
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build();

    /// <summary>Gets the provider whose exporter answers scrapes.</summary>
    public MeterProvider MeterProvider { get; }

    public void Dispose() => MeterProvider.Dispose();
}

using Resilink.Telemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Resilink's metrics to an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class ResilinkMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <see cref="ResilinkTelemetryConstants.MeterName"/> meter (every instrument in
    /// <see cref="ResilinkMetricNames"/>). Exporting them over OTLP is one more call, from the
    /// <c>OpenTelemetry.Exporter.OpenTelemetryProtocol</c> package: <c>builder.AddResilinkInstrumentation().AddOtlpExporter()</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static MeterProviderBuilder AddResilinkInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(ResilinkTelemetryConstants.MeterName);
    }
}

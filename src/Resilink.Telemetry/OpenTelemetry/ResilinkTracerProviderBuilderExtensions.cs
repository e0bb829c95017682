using Resilink.Telemetry;

namespace OpenTelemetry.Trace;

/// <summary>Adds Resilink's spans to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class ResilinkTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <see cref="ResilinkTelemetryConstants.ActivitySourceName"/> activity source (dial, handshake and
    /// stream-open spans of the libp2p host). Exporting them over OTLP is one more call:
    /// <c>builder.AddResilinkInstrumentation().AddOtlpExporter()</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static TracerProviderBuilder AddResilinkInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(ResilinkTelemetryConstants.ActivitySourceName);
    }
}

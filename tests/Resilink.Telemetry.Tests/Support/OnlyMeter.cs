using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Resilink.Telemetry.Tests.Support;

/// <summary>
/// A view that keeps only one meter instance's instruments. <c>AddMeter("Resilink")</c> listens by name, so without it
/// an SDK test would also collect the "Resilink" meters of tests running in parallel.
/// </summary>
internal static class OnlyMeter
{
    public static MeterProviderBuilder KeepOnly(this MeterProviderBuilder builder, Meter meter) =>
        builder.AddView(instrument => ReferenceEquals(instrument.Meter, meter) ? null : MetricStreamConfiguration.Drop);
}

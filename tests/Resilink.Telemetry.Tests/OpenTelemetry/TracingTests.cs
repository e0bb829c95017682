using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Resilink.Telemetry.Tests.OpenTelemetry;

public sealed class TracingTests
{
    [Fact]
    public void AddResilinkInstrumentation_TracerProvider_ExportsResilinkSpansOnly()
    {
        string marker = Guid.NewGuid().ToString("N");
        var exported = new List<Activity>();
        using var resilink = new ActivitySource("Resilink");
        using var other = new ActivitySource("Resilink.Other." + marker);
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddResilinkInstrumentation()
            .AddSource(other.Name + ".NotThisOne")
            .AddInMemoryExporter(exported)
            .Build())
        {
            using (resilink.StartActivity("dial")?.SetTag("test.marker", marker))
            {
            }
            using (other.StartActivity("dial")?.SetTag("test.marker", marker))
            {
            }
            provider.ForceFlush();
        }

        Activity span = Assert.Single(exported, a => Equals(a.GetTagItem("test.marker"), marker));
        Assert.Equal("Resilink", span.Source.Name);
        Assert.Equal("dial", span.DisplayName);
    }
}

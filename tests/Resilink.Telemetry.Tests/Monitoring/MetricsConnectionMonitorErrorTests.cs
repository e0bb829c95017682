using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Health;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorErrorTests
{
    [Fact]
    public void OnError_Always_CountsByErrorTypeAndNeverTagsTheMessage()
    {
        using var h = new MonitorHarness();
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);

        h.Monitor.OnError(new("c1", "p", "timeout", "ping 7 timed out after 5 s"));
        h.Monitor.OnError(new("c2", "p", "timeout", "ping 8 timed out after 5 s"));
        h.Monitor.OnError(new(null, "p", "refused", "connection refused"));

        Assert.Equal(new Dictionary<string, long> { ["timeout"] = 2, ["refused"] = 1 }, errors.SumBy("error.type"));
        Assert.All(errors.GetMeasurementSnapshot(), m => Assert.Equal(["error.type"], m.Tags.Keys));
    }

    [Fact]
    public void OnError_MoreErrorTypesThanDefaultCap_ReportsTheRestAsOther()
    {
        using var h = new MonitorHarness();
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);

        for (int i = 0; i < 150; i++)
        {
            h.Monitor.OnError(new(null, "p", $"kind_{i}", "boom"));
        }
        h.Monitor.OnError(new(null, "p", "kind_0", "boom"));

        IReadOnlyDictionary<string, long> byType = errors.SumBy("error.type");
        Assert.Equal(101, byType.Count);
        Assert.Equal(50, byType["other"]);
        Assert.Equal(2, byType["kind_0"]);
        Assert.Equal(1, byType["kind_99"]);
        Assert.False(byType.ContainsKey("kind_100"));
    }

    [Fact]
    public void OnError_CapSetInOptions_AppliesThatCap()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { MaxTagValues = 2 });
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);

        foreach (string kind in new[] { "a", "b", "c", "d", "a" })
        {
            h.Monitor.OnError(new(null, "p", kind, "boom"));
        }

        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 1, ["other"] = 2 }, errors.SumBy("error.type"));
    }

    [Fact]
    public void OnError_EmptyErrorType_ReportsUnknown()
    {
        using var h = new MonitorHarness();
        using var errors = new MetricCollector<long>(h.Instruments.ConnectionErrors);

        h.Monitor.OnError(new(null, "p", "", "boom"));

        Assert.Equal(new Dictionary<string, long> { ["unknown"] = 1 }, errors.SumBy("error.type"));
    }

    [Fact]
    public void OnHealthStatusChanged_Changes_CountsByNewStatus()
    {
        using var h = new MonitorHarness();
        using var transitions = new MetricCollector<long>(h.Instruments.ConnectionHealthTransitions);

        h.Monitor.OnHealthStatusChanged(new("c1", "p", HealthStatus.Unknown, HealthStatus.Healthy, 1));
        h.Monitor.OnHealthStatusChanged(new("c1", "p", HealthStatus.Healthy, HealthStatus.Degraded, 0.6));
        h.Monitor.OnHealthStatusChanged(new("c1", "p", HealthStatus.Degraded, HealthStatus.Unhealthy, 0.2));
        h.Monitor.OnHealthStatusChanged(new("c1", "p", HealthStatus.Unhealthy, HealthStatus.Dead, 0));
        h.Monitor.OnHealthStatusChanged(new("c2", "p", HealthStatus.Unknown, HealthStatus.Healthy, 1));
        h.Monitor.OnHealthStatusChanged(new("c2", "p", HealthStatus.Healthy, HealthStatus.Healthy, 0.9));
        h.Monitor.OnHealthStatusChanged(new("c2", "p", HealthStatus.Healthy, HealthStatus.Closed, 0.9)); // closed by us: not a death

        Assert.Equal(
            new Dictionary<string, long> { ["healthy"] = 2, ["degraded"] = 1, ["unhealthy"] = 1, ["dead"] = 1, ["closed"] = 1 },
            transitions.SumBy("to"));
    }
}

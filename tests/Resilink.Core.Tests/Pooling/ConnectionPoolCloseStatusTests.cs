using Resilink.Health;
using Resilink.Monitoring;

namespace Resilink.Core.Tests.Pooling;

/// <summary>A connection the pool closes itself ends Closed; one a lease reported broken ends Dead.</summary>
public sealed class ConnectionPoolCloseStatusTests
{
    [Fact]
    public async Task DisposeAsync_HealthyConnection_EndsClosedNotDead()
    {
        var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        await h.Pool.HealthMonitor.CheckAllAsync(); // Unknown -> Healthy

        await h.DisposeAsync();

        var statuses = h.Monitor.Of<HealthStatusEvent>();
        Assert.Equal([HealthStatus.Healthy, HealthStatus.Closed], statuses.Select(e => e.To));
    }

    [Fact]
    public async Task ReportFailure_ConnectionBroken_EndsDead()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        await h.Pool.HealthMonitor.CheckAllAsync();

        using (var lease = await h.Pool.AcquireAsync())
        {
            lease.ReportFailure(new IOException("connection reset"), connectionBroken: true);
        }

        await h.UntilStatsAsync(s => s.Closed == 1);
        Assert.Contains(h.Monitor.Of<HealthStatusEvent>(), e => e.ConnectionId == "fake://primary#1" && e.To == HealthStatus.Dead);
        Assert.DoesNotContain(h.Monitor.Of<HealthStatusEvent>(), e => e.To == HealthStatus.Closed);
    }
}

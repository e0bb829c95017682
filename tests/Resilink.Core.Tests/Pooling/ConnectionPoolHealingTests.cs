using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Pooling;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolHealingTests
{
    private static ConnectionPoolOptions QuietOptions(int min, int max)
    {
        var options = PoolHarness.Options(min, max);
        options.Sizing.Interval = TimeSpan.FromHours(1); // no sample interferes with the backoff timers
        options.Reconnect.MaxAttempts = 5;
        return options;
    }

    [Fact]
    public async Task DeadConnection_ReplacedThroughReconnectorWithExactBackoffDelays()
    {
        await using var h = new PoolHarness(QuietOptions(min: 1, max: 1));
        await h.Pool.StartAsync();
        var attempts = new List<ReconnectEventArgs>();
        var statuses = new List<HealthStatusChangedEventArgs>();
        using var reconnects = h.Pool.SubscribeReconnectEvents(attemptStarted: (_, e) => { lock (attempts) { attempts.Add(e); } });
        using var health = h.Pool.SubscribeHealthEvents((_, e) => { lock (statuses) { statuses.Add(e); } });
        var failures = new List<(string Id, int Attempt)>();
        using var callback = h.Pool.RegisterFailureCallback((id, _, attempt) => { lock (failures) { failures.Add((id, attempt)); } });
        h.Primary.Created[0].Broken = true;
        h.Primary.CreateFailure = n => n is 2 or 3 or 4 ? new IOException("connection refused") : null;

        for (int round = 0; round < 3; round++)
        {
            await h.Pool.HealthMonitor.CheckAllAsync(); // three failed pings: Dead
        }
        foreach (int ms in new[] { 100, 200, 400 })
        {
            await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(ms));
        }
        await h.UntilStatsAsync(s => s.Size == 1 && s.Opened == 2 && s.Closed == 1);

        Assert.Contains(statuses, e => e.ConnectionId == "fake://primary#1" && e.Current == HealthStatus.Dead);
        lock (attempts)
        {
            Assert.All(attempts, e => Assert.Equal("fake://primary#2", e.Key));
            Assert.Equal([0.0, 100, 200, 400], attempts.Select(e => e.Delay.TotalMilliseconds));
        }
        Assert.Equal([("fake://primary#2", 1), ("fake://primary#2", 2), ("fake://primary#2", 3)], failures);
        Assert.Equal(1, h.Primary.Created[0].Closes);
        using var lease = await h.Pool.AcquireAsync();
        Assert.Equal(5, lease.Connection.Number);
        var reconnection = h.Pool.GetReconnectionStatistics();
        Assert.Equal((5L, 3L, 2L, 0L), (reconnection.Attempts, reconnection.FailedAttempts, reconnection.Successes, reconnection.GiveUps));
        Assert.Equal((1L, 3L), (h.Stats.Retired, h.Stats.OpenFailures));
        Assert.Equal(
            [new ConnectionReplacementEvent("fake://primary#1", "fake://primary", ReplacementReason.Dead)],
            h.Monitor.Of<ConnectionReplacementEvent>());
        Assert.Equal(
            [ReconnectOutcome.Failure, ReconnectOutcome.Failure, ReconnectOutcome.Failure, ReconnectOutcome.Success],
            h.Monitor.Of<ReconnectEvent>().Where(e => e.Key == "fake://primary#2").Select(e => e.Outcome));
    }

    [Fact]
    public async Task UnhealthyConnectionWithLease_LeavesRotationAtOnceAndClosesWhenTheLeaseReturns()
    {
        await using var h = new PoolHarness(QuietOptions(min: 2, max: 2));
        await h.Pool.StartAsync();
        var a = await h.Pool.AcquireAsync();
        var sick = a.Connection;
        sick.Broken = true;

        for (int round = 0; round < 3; round++)
        {
            await h.Pool.HealthMonitor.CheckAllAsync();
        }
        await h.UntilStatsAsync(s => s.Size == 2 && s.Draining == 1);

        for (int i = 0; i < 5; i++)
        {
            using var other = await h.Pool.AcquireAsync();
            Assert.NotSame(sick, other.Connection);
        }
        Assert.Equal(0, sick.Closes);
        a.Dispose();
        await PoolHarness.UntilAsync(() => sick.Closes == 1, () => "the sick connection to close");
        Assert.Equal(0, h.Stats.Draining);
    }

    [Fact]
    public async Task Health_Snapshots_GroupConnectionsByEndpoint()
    {
        await using var h = new PoolHarness(QuietOptions(min: 2, max: 2));
        await h.Pool.StartAsync();
        await h.Pool.HealthMonitor.CheckAllAsync();

        var summary = h.Pool.GetHealthStatistics();

        var endpoint = Assert.Single(summary.Peers);
        Assert.Equal("fake://primary", endpoint.PeerKey);
        Assert.Equal(2, endpoint.Connections.Count);
        Assert.All(endpoint.Connections, c => Assert.Equal(HealthStatus.Healthy, c.Status));
        Assert.Contains(h.Monitor.Events, e => e is HealthStatusEvent { To: HealthStatus.Healthy });
    }
}

using Resilink.Monitoring;
using Resilink.Pooling;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolFailoverTests
{
    private static ConnectionPoolOptions FailoverOptions()
    {
        var options = PoolHarness.Options(min: 1, max: 2);
        options.Sizing.Interval = TimeSpan.FromSeconds(5);
        options.Health.HealthCheckInterval = TimeSpan.FromSeconds(5); // also the probe interval of a failed endpoint
        options.Failover = new() { FailureThreshold = 3, FailbackDelay = TimeSpan.FromSeconds(60) };
        return options;
    }

    [Fact]
    public async Task ReportedFailuresOnPrimary_FailsOverAndNewLeasesGoToTheSecondary()
    {
        await using var h = new PoolHarness(FailoverOptions(), withSecondary: true);
        await h.Pool.StartAsync();
        var changes = new List<FailoverStateChangedEventArgs>();
        using var subscription = h.Pool.SubscribeFailoverEvents((_, e) => { lock (changes) { changes.Add(e); } });
        var onPrimary = await h.Pool.AcquireAsync();

        for (int i = 0; i < 3; i++)
        {
            onPrimary.ReportFailure(new IOException("READONLY You can't write against a read only replica"));
        }
        await h.UntilStatsAsync(s => s.Endpoint == "fake://secondary" && s.Size == 1);
        using var onSecondary = await h.Pool.AcquireAsync();

        Assert.Equal("fake://secondary", onSecondary.Endpoint);
        Assert.Equal(FailoverState.Secondary, h.Pool.GetFailoverStatistics()!.Value.State);
        Assert.Equal(1, h.Pool.GetFailoverStatistics()!.Value.FailoverCount);
        lock (changes)
        {
            Assert.Equal(
                [(FailoverState.Primary, FailoverState.FailingOver), (FailoverState.FailingOver, FailoverState.Secondary)],
                changes.Select(c => (c.From, c.To)));
        }
        Assert.Equal(
            [new FailoverEvent(FailoverState.Primary, FailoverState.FailingOver), new FailoverEvent(FailoverState.FailingOver, FailoverState.Secondary)],
            h.Monitor.Of<FailoverEvent>());
        Assert.Equal(1, h.Stats.Draining); // the primary connection is still leased
        onPrimary.Dispose();
        await PoolHarness.UntilAsync(() => h.Primary.Created[0].Closes == 1, () => "the primary connection to drain");
    }

    [Fact]
    public async Task PrimaryUnreachableAtStart_FailsOverToSecondaryAfterFailureThreshold()
    {
        await using var h = new PoolHarness(FailoverOptions(), withSecondary: true);
        h.Primary.CreateFailure = _ => new IOException("connection refused");

        var start = h.Pool.StartAsync();
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(100));
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(200)); // third failure: failover
        await start.WaitAsync(TimeSpan.FromSeconds(10));
        await h.UntilStatsAsync(s => s.Endpoint == "fake://secondary" && s.Size == 1);

        using var lease = await h.Pool.AcquireAsync();
        Assert.Equal("fake://secondary", lease.Endpoint);
    }

    [Fact]
    public async Task PrimaryBackAfterFailover_ProbedThenFailsBackAfterFailbackDelay()
    {
        await using var h = new PoolHarness(FailoverOptions(), withSecondary: true);
        await FailOverAsync(h);
        h.Primary.CreateFailure = _ => new IOException("connection refused");

        await h.SampleAsync(interval: TimeSpan.FromSeconds(5)); // probe of the failed primary: refused
        Assert.True(h.Pool.Failover!.IsFailed(h.Primary));
        h.Primary.CreateFailure = _ => null;
        await h.SampleAsync(interval: TimeSpan.FromSeconds(5)); // probe succeeds: the failback wait starts
        Assert.False(h.Pool.Failover.IsFailed(h.Primary));
        int probeConnections = h.Primary.Created.Count;

        h.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(20);
        Assert.Equal("fake://secondary", h.Stats.Endpoint);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.UntilStatsAsync(s => s.Endpoint == "fake://primary" && s.Size == 1 && s.Draining == 0);

        using var lease = await h.Pool.AcquireAsync();
        Assert.Equal("fake://primary", lease.Endpoint);
        Assert.Equal(4, lease.Connection.Number); // creates: 1 at start, 2 the refused probe, 3 the good probe, 4 the failback's warm-up
        Assert.Equal(1, h.Pool.GetFailoverStatistics()!.Value.FailbackCount);
        Assert.Equal(
            [new FailoverEvent(FailoverState.Secondary, FailoverState.FailingBack), new FailoverEvent(FailoverState.FailingBack, FailoverState.Primary)],
            h.Monitor.Of<FailoverEvent>().TakeLast(2));
        await PoolHarness.UntilAsync(() => h.Secondary!.Created.All(c => c.Closes == 1), () => "secondary connections to close");
        Assert.All(h.Primary.Created.Take(probeConnections), c => Assert.Equal(1, c.Closes)); // the first one and the probe
    }

    [Fact]
    public async Task PrimaryFailsOnceAfterRecovering_ProbedAgainAndFailsBackTheDelayAfterThatProbe()
    {
        await using var h = new PoolHarness(FailoverOptions(), withSecondary: true);
        await FailOverAsync(h);
        await h.SampleAsync(interval: TimeSpan.FromSeconds(5)); // probe succeeds: the failback wait starts
        Assert.False(h.Pool.Failover!.IsFailed(h.Primary));
        h.Pool.Failover.RecordFailure(h.Primary, new IOException("a late failure of an old primary connection"));
        Assert.True(h.Pool.Failover.AwaitsSuccess(h.Primary));
        int created = h.Primary.Created.Count;

        await h.SampleAsync(interval: TimeSpan.FromSeconds(5)); // probed again although not failed: the wait restarts here
        Assert.Equal(created + 1, h.Primary.Created.Count);
        Assert.False(h.Pool.Failover.AwaitsSuccess(h.Primary));
        h.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(20);
        Assert.Equal("fake://secondary", h.Stats.Endpoint);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.UntilStatsAsync(s => s.Endpoint == "fake://primary");
    }

    [Fact]
    public async Task BothEndpointsFail_AcquireFailsFastWithEndpointUnavailable()
    {
        await using var h = new PoolHarness(FailoverOptions(), withSecondary: true);
        await FailOverAsync(h);
        var onSecondary = await h.Pool.AcquireAsync();
        h.Secondary!.HangOnCreate = true;
        var waiting = h.Pool.AcquireAsync().AsTask(); // MaxSize 2: opens one more, which hangs
        await h.UntilStatsAsync(s => s.Waiters == 1);

        for (int i = 0; i < 3; i++)
        {
            onSecondary.ReportFailure(new IOException("LOADING Redis is loading the dataset in memory"));
        }

        await h.UntilStatsAsync(s => s.Endpoint is null);
        var error = await Assert.ThrowsAsync<EndpointUnavailableException>(() => h.Pool.AcquireAsync().AsTask());
        Assert.StartsWith("No endpoint is available: primary 'fake://primary' failed", error.Message);
        await Assert.ThrowsAsync<EndpointUnavailableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10))); // waiters too
        onSecondary.Dispose();
        h.Secondary.ReleaseHungCreates();
    }

    /// <summary>Starts the pool on the primary and makes it fail over by reporting three failures there.</summary>
    private static async Task FailOverAsync(PoolHarness h)
    {
        await h.Pool.StartAsync();
        using (var lease = await h.Pool.AcquireAsync())
        {
            for (int i = 0; i < 3; i++)
            {
                lease.ReportFailure(new IOException("connection reset"));
            }
        }
        await h.UntilStatsAsync(s => s.Endpoint == "fake://secondary" && s.Size == 1 && s.Draining == 0);
    }
}

using System.Collections.Concurrent;
using Resilink.Monitoring;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolBadInputTests
{
    [Fact]
    public async Task FactoryThrowsAnything_RetriedWithBackoffThenGivesUpWithoutBreakingThePool()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 2)); // 3 attempts
        var errors = new ConcurrentQueue<Exception>();
        using var callback = h.Pool.RegisterFailureCallback((_, e, _) => errors.Enqueue(e));
        h.Primary.CreateFailure = _ => new InvalidOperationException("NOAUTH Authentication required");

        var start = h.Pool.StartAsync();
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(100));
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(200));
        await start.WaitAsync(TimeSpan.FromSeconds(10)); // does not throw

        Assert.Equal(3, h.Primary.CreateCalls);
        Assert.Equal((0, 3L, 1L), (h.Stats.Size, h.Stats.OpenFailures, h.Pool.GetReconnectionStatistics().GiveUps));
        Assert.All(errors, e =>
        {
            var open = Assert.IsType<ConnectionOpenException>(e);
            Assert.IsType<InvalidOperationException>(open.InnerException);
            Assert.Equal("Opening a connection to fake://primary failed at create: NOAUTH Authentication required", open.Message);
        });

        h.Primary.CreateFailure = _ => null; // the server is back: the next sample refills
        await h.SampleAsync();
        using var lease = await h.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, lease.Connection.Number);
    }

    [Fact]
    public async Task FactoryHangsIgnoringItsToken_AttemptEndsAtConnectionTimeoutAndLateConnectionIsClosed()
    {
        var options = PoolHarness.Options(min: 1, max: 1);
        options.Reconnect.MaxAttempts = 1;
        options.Sizing.Interval = TimeSpan.FromHours(1); // no refill while the clock passes the timeout
        await using var h = new PoolHarness(options);
        h.Primary.HangOnCreate = true;

        var start = h.Pool.StartAsync();
        await h.AdvancePastTimerAsync(TimeSpan.FromSeconds(2)); // ConnectionTimeout
        await start.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((0, 1L), (h.Stats.Size, h.Stats.OpenFailures));
        Assert.Contains(h.Monitor.Events, e => e is ConnectionAttemptEvent { Outcome: AttemptOutcome.Timeout, ErrorType: "timeout" });
        h.Primary.HangOnCreate = false;
        h.Primary.ReleaseHungCreates();
        await PoolHarness.UntilAsync(() => h.Primary.Created.Count == 1 && h.Primary.Created[0].Closes == 1, () => $"the late connection to close: {h.Primary.CreateCalls} creates, {string.Join(", ", h.Primary.Created.Select(c => $"{c}: {c.Closes}"))}");

        await h.SampleAsync(interval: TimeSpan.FromHours(1));
        using var lease = await h.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, lease.Connection.Number);
        Assert.Equal(1, h.Primary.Created[0].Closes);
    }

    [Fact]
    public async Task FactoryReturnsBrokenConnections_EachFailsItsFirstCheckAndIsClosedOnce()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1)); // 3 attempts
        h.Primary.CreateBroken = true;

        var start = h.Pool.StartAsync();
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(100));
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(200));
        await start.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, h.Primary.Created.Count);
        Assert.All(h.Primary.Created, c => Assert.Equal(1, c.Closes));
        Assert.Equal((0, 0L, 3L), (h.Stats.Size, h.Stats.Opened, h.Stats.OpenFailures));
        Assert.Contains(h.Monitor.Events, e => e is ConnectionAttemptEvent { Outcome: AttemptOutcome.Failure, ErrorType: "IOException" });
    }

    [Fact]
    public async Task HealthCheckThrows_ConnectionRetiredAndReplacedPoolKeepsLending()
    {
        var options = PoolHarness.Options(min: 1, max: 1);
        options.ValidateOnCreate = false;
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        h.Primary.HealthCheckError = new InvalidOperationException("check exploded");

        for (int round = 0; round < 3; round++)
        {
            await h.Pool.HealthMonitor.CheckAllAsync();
        }
        await h.UntilStatsAsync(s => s.Retired == 1 && s.Size == 1 && s.Closed == 1);

        using var lease = await h.Pool.AcquireAsync();
        Assert.Equal(2, lease.Connection.Number);
    }

    [Fact]
    public async Task ThousandConcurrentAcquires_ExclusivePoolOfFour_EveryLeaseGrantedAndReturned()
    {
        var options = PoolHarness.Options(min: 0, max: 4);
        options.AcquireTimeout = TimeSpan.FromHours(1); // the fake clock never gets there: no acquirer may time out
        await using var h = new PoolHarness(options);
        var holders = new ConcurrentDictionary<FakePoolConnection, int>();
        int overlaps = 0;

        var work = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            await using var lease = await h.Pool.AcquireAsync();
            if (holders.AddOrUpdate(lease.Connection, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            await Task.Yield();
            holders.AddOrUpdate(lease.Connection, 0, (_, n) => n - 1);
        }));
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(30));

        var stats = h.Stats;
        Assert.Equal(0, overlaps);
        Assert.Equal((1000L, 1000L, 0, 0, 0L), (stats.Acquired, stats.Released, stats.LeasesOut, stats.Waiters, stats.AcquireTimeouts));
        Assert.InRange(stats.Size, 1, 4);
        Assert.Equal(stats.Size, (int)stats.Opened);
        Assert.True(h.Primary.CreateCalls <= 4, $"{h.Primary.CreateCalls} creates for a pool of 4");
    }

    [Fact]
    public async Task DisposeAsync_LeasedDrainingAndIdleConnections_EachClosedExactlyOnce()
    {
        var options = PoolHarness.Options(min: 3, max: 4);
        var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        var leased = await h.Pool.AcquireAsync();
        var draining = await h.Pool.AcquireAsync();
        draining.ReportFailure(new IOException("reset"), connectionBroken: true); // its replacement opens
        await h.UntilStatsAsync(s => s.Opened == 4 && s.Size == 3);
        h.Primary.HangOnCreate = true;
        var extra = await h.Pool.AcquireAsync();
        var extra2 = await h.Pool.AcquireAsync(); // all 3 in rotation leased
        var late = h.Pool.AcquireAsync().AsTask(); // 3 of at most 4 in rotation: opens a 5th connection, which hangs
        await PoolHarness.UntilAsync(() => h.Primary.CreateCalls == 5, () => "the hanging create to start");

        await h.Pool.DisposeAsync();
        await h.Pool.DisposeAsync();
        h.Primary.ReleaseHungCreates();
        leased.Dispose();
        draining.Dispose();
        extra.Dispose();
        extra2.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => late.WaitAsync(TimeSpan.FromSeconds(10)));
        await PoolHarness.UntilAsync(() => h.Primary.Created.Count == 5 && h.Primary.Created.All(c => c.Closes == 1),
            () => string.Join(", ", h.Primary.Created.Select(c => $"{c}: {c.Closes}")));
        await Task.Delay(50);
        Assert.All(h.Primary.Created, c => Assert.Equal(1, c.Closes));
        Assert.Equal((4L, 4L), (h.Pool.GetStatistics().Opened, h.Pool.GetStatistics().Closed)); // the late 5th never joined
    }
}

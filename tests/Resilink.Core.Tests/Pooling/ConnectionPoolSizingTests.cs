using Resilink.Monitoring;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolSizingTests
{
    [Fact]
    public async Task AcquireAsync_AllLeasedBelowMaxSize_OpensOneConnectionPerWaiter()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 3));
        await h.Pool.StartAsync();
        using var first = await h.Pool.AcquireAsync();

        var second = await h.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var third = await h.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((3, 3L), (h.Stats.Size, h.Stats.Opened));
        Assert.Equal(3, new[] { first.Connection, second.Connection, third.Connection }.Distinct().Count());
        second.Dispose();
        third.Dispose();
    }

    [Fact]
    public async Task Sample_UtilisationAtThreshold_GrowsOneConnectionPerSampleUpToMaxSize()
    {
        // Shared leases: 4 of 5 out on the one connection is 0.8, the default threshold; no acquirer waits.
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 3, leases: 5));
        await h.Pool.StartAsync();
        var leases = new List<ConnectionLease<FakePoolConnection>>();
        for (int i = 0; i < 4; i++)
        {
            leases.Add(await h.Pool.AcquireAsync());
        }

        await h.SampleAsync();
        await h.UntilStatsAsync(s => s.Size == 2);
        // 4 of 10: under the threshold, no more growth however many samples pass.
        await h.SampleAsync(3);
        Assert.Equal((2, 0), (h.Stats.Size, h.Stats.Opening));

        for (int i = 0; i < 4; i++)
        {
            leases.Add(await h.Pool.AcquireAsync()); // least loaded: the new connection takes them
        }
        await h.SampleAsync(); // 8 of 10
        await h.UntilStatsAsync(s => s.Size == 3);
        await h.SampleAsync(2);
        Assert.Equal(3, h.Stats.Size); // MaxSize
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task Sample_WaitersAndFailedOnDemandOpen_GrowsAtTheNextSample()
    {
        var options = PoolHarness.Options(min: 1, max: 2);
        options.Reconnect.MaxAttempts = 1;
        options.AcquireTimeout = TimeSpan.FromMinutes(1);
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        using var held = await h.Pool.AcquireAsync();
        h.Primary.CreateFailure = n => n == 2 ? new IOException("refused once") : null;

        var waiting = h.Pool.AcquireAsync().AsTask();
        await h.UntilStatsAsync(s => s.OpenFailures == 1 && s.Opening == 0);
        Assert.Equal((1, 1), (h.Stats.Size, h.Stats.Waiters));

        await h.SampleAsync(); // a waiter is pressure: one more connection
        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, lease.Connection.Number);
        Assert.Equal((2, 0), (h.Stats.Size, h.Stats.Waiters));
    }

    [Fact]
    public async Task Sample_IdleConnectionsAboveMinSize_ClosedAfterIdleTimeoutLongestIdleFirst()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 3)); // IdleTimeout 30 s
        await h.Pool.StartAsync();
        var a = await h.Pool.AcquireAsync();
        var b = await h.Pool.AcquireAsync();
        var c = await h.Pool.AcquireAsync();
        Assert.Equal(3, h.Stats.Size);
        a.Dispose();
        b.Dispose();
        await h.SampleAsync(); // utilisation 1/3: no pressure; a and b idle from here
        await h.SampleAsync(10);
        c.Dispose();           // c idle from the next sample, 11 s later than a and b

        await h.SampleAsync(20); // a and b: 30 s idle
        await h.UntilStatsAsync(s => s.Size == 1 && s.Closed == 2);
        Assert.Equal([1, 1, 0], h.Primary.Created.Select(x => x.Closes));

        await h.SampleAsync(30); // c idle too, but MinSize is 1
        Assert.Equal((1, 2L), (h.Stats.Size, h.Stats.Closed));
    }

    [Fact]
    public async Task Sample_SizingDisabled_RefillsToMinSizeButNeverShrinks()
    {
        var options = PoolHarness.Options(min: 2, max: 3);
        options.Sizing.Enabled = false;
        await using var h = new PoolHarness(options);

        await h.SampleAsync(); // lazy pool: the first sample refills
        await h.UntilStatsAsync(s => s.Size == 2);
        var leases = new[] { await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync() };
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
        await h.SampleAsync(100);

        Assert.Equal((3, 0L), (h.Stats.Size, h.Stats.Closed));
    }

    [Fact]
    public async Task Sample_Always_ReportsUtilisationAndWaitersToTheMonitor()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 2, leases: 2));
        await h.Pool.StartAsync();
        using var lease = await h.Pool.AcquireAsync();

        await h.SampleAsync();
        await PoolHarness.UntilAsync(
            () => h.Monitor.Events.OfType<PoolUtilizationEvent>().Any(e => e.InUse == 1),
            () => string.Join(", ", h.Monitor.Events));

        var report = h.Monitor.Events.OfType<PoolUtilizationEvent>().Last(e => e.InUse == 1);
        Assert.Equal(new PoolUtilizationEvent("fake://primary", 1, 4, 0), report);
    }
}

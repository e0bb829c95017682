using Resilink.Monitoring;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolLeaseTests
{
    [Fact]
    public async Task StartAsync_MinSizeThree_OpensThreeValidatedConnections()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 3, max: 5));

        await h.Pool.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var stats = h.Stats;
        Assert.Equal((3, 3, 0, 0), (stats.Size, (int)stats.Opened, stats.Opening, (int)stats.OpenFailures));
        Assert.Equal(3, h.Primary.CreateCalls);
        Assert.Equal("fake://primary", stats.Endpoint);
    }

    [Fact]
    public async Task AcquireAsync_ThenDispose_CountsOneAcquiredAndOneReleased()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();

        var lease = await h.Pool.AcquireAsync();
        Assert.Equal((1, 1, 1L, 0L), (h.Stats.LeasesOut, h.Stats.BusyConnections, h.Stats.Acquired, h.Stats.Released));
        Assert.Equal("fake://primary", lease.Endpoint);
        Assert.Equal("fake://primary#1", lease.ConnectionId);
        Assert.Same(h.Primary.Created[0], lease.Connection);

        await lease.DisposeAsync();
        await lease.DisposeAsync(); // a second dispose does nothing

        Assert.Equal((0, 1L, 1L), (h.Stats.LeasesOut, h.Stats.Acquired, h.Stats.Released));
        Assert.False(lease.IsActive);
        Assert.Throws<ObjectDisposedException>(() => lease.Connection);
    }

    [Fact]
    public async Task AcquireAsync_Exclusive_SecondAcquirerWaitsForTheFirstLease()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        var first = await h.Pool.AcquireAsync();

        var second = h.Pool.AcquireAsync().AsTask();
        await h.UntilStatsAsync(s => s.Waiters == 1);
        Assert.False(second.IsCompleted);

        first.Dispose();
        var lease = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(h.Primary.Created[0], lease.Connection); // handed over, not a new connection
        Assert.Equal((1, 0, 1L), (h.Stats.LeasesOut, h.Stats.Waiters, h.Stats.Opened));
        lease.Dispose();
    }

    [Fact]
    public async Task AcquireAsync_SharedUpToThree_ThreeLeasesShareOneConnectionAndTheFourthWaits()
    {
        var options = PoolHarness.Options(min: 1, max: 1, leases: 3);
        options.AcquireTimeout = TimeSpan.FromSeconds(2);
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();

        var leases = new[] { await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync(), await h.Pool.AcquireAsync() };
        var fourth = h.Pool.AcquireAsync().AsTask();
        await h.UntilStatsAsync(s => s.Waiters == 1);

        Assert.All(leases, l => Assert.Same(h.Primary.Created[0], l.Connection));
        Assert.Equal((3, 1), (h.Stats.LeasesOut, h.Stats.BusyConnections));
        Assert.False(fourth.IsCompleted);
        leases[1].Dispose();
        var handed = await fourth.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(h.Primary.Created[0], handed.Connection);
        handed.Dispose();
        leases[0].Dispose();
        leases[2].Dispose();
        Assert.Equal((0, 4L, 4L), (h.Stats.LeasesOut, h.Stats.Acquired, h.Stats.Released));
    }

    [Fact]
    public async Task AcquireAsync_NothingFreeAtMaxSize_TimesOutWithPoolEndpointSizesAndWaiters()
    {
        var options = PoolHarness.Options(min: 2, max: 2);
        options.Name = "orders-db";
        await using var h = new PoolHarness(options);
        await h.Pool.StartAsync();
        using var a = await h.Pool.AcquireAsync();
        using var b = await h.Pool.AcquireAsync();

        var waiting = h.Pool.AcquireAsync().AsTask();
        await h.UntilStatsAsync(s => s.Waiters == 1);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<PoolAcquireTimeoutException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Equal(
            "No connection of pool 'orders-db' (endpoint fake://primary) became free within 5000 ms: 2 open of 2 at most " +
            "(2 leases out, 0 being opened), 0 acquirer(s) waiting.",
            error.Message);
        Assert.Equal(1, h.Stats.AcquireTimeouts);
        Assert.Equal(0, h.Stats.Waiters);
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsAndLeavesNoWaiter()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        using var held = await h.Pool.AcquireAsync();
        using var cancel = new CancellationTokenSource();

        var waiting = h.Pool.AcquireAsync(cancel.Token).AsTask();
        await h.UntilStatsAsync(s => s.Waiters == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, h.Stats.Waiters);
    }

    [Fact]
    public async Task AcquireAsync_DisposedPool_ThrowsObjectDisposed()
    {
        var h = new PoolHarness(PoolHarness.Options());
        await h.Pool.StartAsync();
        await h.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = h.Pool.AcquireAsync().AsTask(); });
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Pool.StartAsync());
    }

    [Fact]
    public async Task DisposeAsync_WhileAcquirersWait_FailsThemWithObjectDisposed()
    {
        var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        var held = await h.Pool.AcquireAsync();
        var waiting = h.Pool.AcquireAsync().AsTask();
        await h.UntilStatsAsync(s => s.Waiters == 1);

        await h.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        held.Dispose(); // after dispose: does nothing, does not throw
        Assert.Equal(1, h.Primary.Created[0].Closes);
    }

    [Fact]
    public async Task ReportFailure_ConnectionBroken_RetiresClosesAfterReturnAndReplaces()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 2));
        await h.Pool.StartAsync();
        var lease = await h.Pool.AcquireAsync();

        lease.ReportFailure(new IOException("socket closed"), connectionBroken: true);
        await h.UntilStatsAsync(s => s.Opened == 2 && s.Size == 1);
        Assert.Equal((1, 1L), (h.Stats.Draining, h.Stats.Retired));
        Assert.Equal(0, h.Primary.Created[0].Closes); // still leased
        Assert.Equal(
            [new ConnectionReplacementEvent("fake://primary#1", "fake://primary", ReplacementReason.Broken)],
            h.Monitor.Of<ConnectionReplacementEvent>());

        lease.Dispose();
        await PoolHarness.UntilAsync(() => h.Primary.Created[0].Closes == 1, () => "first connection closed");
        await h.UntilStatsAsync(s => s.Draining == 0 && s.Closed == 1);
        using var next = await h.Pool.AcquireAsync();
        Assert.Same(h.Primary.Created[1], next.Connection);
    }

    [Fact]
    public async Task ReportFailure_OperationFailed_CountsAgainstHealthWithoutRetiring()
    {
        await using var h = new PoolHarness(PoolHarness.Options(min: 1, max: 1));
        await h.Pool.StartAsync();
        using var lease = await h.Pool.AcquireAsync();

        lease.ReportFailure(new InvalidOperationException("WRONGTYPE"));

        var snapshot = Assert.Single(Assert.Single(h.Pool.GetHealthStatistics().Peers).Connections);
        Assert.Equal(1L, snapshot.FailedStreams);
        Assert.Equal(1, h.Stats.Size);
        Assert.Equal(0, h.Stats.Retired);
    }

    [Fact]
    public async Task DefaultLease_Members_ThrowOrDoNothing()
    {
        await using var h = new PoolHarness(PoolHarness.Options());
        ConnectionLease<FakePoolConnection> lease = default;

        Assert.False(lease.IsActive);
        Assert.Throws<ObjectDisposedException>(() => lease.ConnectionId);
        lease.Dispose();
        await lease.DisposeAsync();
    }
}

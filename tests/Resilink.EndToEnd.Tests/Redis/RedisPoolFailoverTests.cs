using Resilink.Pooling;
using Resilink.Resilience;
using Resilink.Tests.Shared;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Resilink.EndToEnd.Tests.Redis;

/// <summary>
/// A pool of StackExchange.Redis multiplexers over two real redis-servers (primary and secondary) under a steady SET/GET
/// load: the primary is killed with SIGKILL and later restarted.
/// </summary>
public sealed class RedisPoolFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Warm = 200; // successes on an endpoint that show the load really runs there

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly CapturingLoggerFactory _logs = new();
    private RedisServer _primary = null!;
    private RedisServer _secondary = null!;

    public async Task InitializeAsync()
    {
        _primary = await RedisServer.StartAsync(_timeout.Token);
        _secondary = await RedisServer.StartAsync(_timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task PrimaryKilledUnderLoad_PoolFailsOverAndOnlyOperationsOnTheDyingServerFail()
    {
        var ct = _timeout.Token;
        await using var pool = FailoverPoolSetup.Create(_primary, _secondary, _logs);
        using var failover = new FailoverRecorder(pool);
        await pool.StartAsync(ct);
        string primary = pool.CurrentEndpoint!;
        string secondary = $"redis://{_secondary.Configuration}";

        await using var load = RedisLoad.Start(pool, FailoverPoolSetup.Workers);
        await load.WaitForSuccessesAsync(primary, Warm, ct);
        var killedAt = TimeProvider.System.GetUtcNow();
        await _primary.KillAsync();
        // Three consecutive failures decide it: normally the reported ones (ConnectionPoolFailureReportTests), else the
        // replacements' failed connects.
        var switched = await failover.WaitForAsync(FailoverState.Secondary, ct);
        await load.WaitForSuccessesAsync(secondary, Warm, ct);
        await load.StopAsync();
        output.WriteLine($"kill -> Secondary in {(switched.Timestamp - killedAt).TotalMilliseconds:0} ms");

        // The bound. A lease is only lent on a connection in rotation, and the first failure reported on a connection
        // (connectionBroken: true) takes it out of rotation at once. Each worker holds one lease with one operation in
        // flight at a time, so each primary connection can fail at most one operation per worker: those already leased
        // on it when it died or before the first report on it (the pool could not have noticed sooner). Nothing else
        // opens on the primary (MinSize = MaxSize, and its server refuses connects after the kill), so at most
        // Workers x Connections operations fail, all on the primary; none on the secondary, and every acquire succeeds.
        const int bound = FailoverPoolSetup.Workers * FailoverPoolSetup.Connections;
        var failed = load.Failed;
        output.WriteLine($"failed operations: {failed.Count} (bound {bound}); {load.Describe()}");
        string context = $"{load.Describe()}\nfailover: {string.Join(", ", failover.Transitions)}\n{_logs.Describe()}";
        Assert.True(failed.Count <= bound, $"{failed.Count} operations failed, more than {bound}.\n{context}");
        Assert.All(failed, f => Assert.Equal(primary, f.Endpoint));
        Assert.Empty(load.AcquireErrors);
        Assert.True(failed.Select(f => f.ConnectionId).Distinct().Count() <= FailoverPoolSetup.Connections, context);
        Assert.Equal(["Primary->FailingOver", "FailingOver->Secondary"], failover.Transitions.Take(2));
        Assert.Equal(secondary, pool.CurrentEndpoint);
        Assert.Equal(1L, pool.GetFailoverStatistics()!.Value.FailoverCount);
    }

    [Fact]
    public async Task PrimaryRestarted_PoolFailsBackAfterFailbackDelayWithoutLosingAnOperation()
    {
        var ct = _timeout.Token;
        await using var pool = FailoverPoolSetup.Create(_primary, _secondary, _logs);
        using var failover = new FailoverRecorder(pool);
        await pool.StartAsync(ct);
        string primary = pool.CurrentEndpoint!;
        string secondary = $"redis://{_secondary.Configuration}";
        await using var load = RedisLoad.Start(pool, FailoverPoolSetup.Workers);
        await load.WaitForSuccessesAsync(primary, Warm, ct);
        await _primary.KillAsync();
        await failover.WaitForAsync(FailoverState.Secondary, ct);
        await load.WaitForSuccessesAsync(secondary, Warm, ct);
        int failedBeforeRestart = load.Failed.Count;

        var beforeRestart = TimeProvider.System.GetUtcNow();
        await _primary.RestartAsync(ct);
        var back = await failover.WaitForAsync(FailoverState.Primary, ct);
        int onPrimaryAtFailback = load.SucceededOn(primary);
        await load.WaitForSuccessesAsync(primary, onPrimaryAtFailback + Warm, ct);
        await load.StopAsync();

        string context = $"{load.Describe()}\nfailover: {string.Join(", ", failover.Transitions)}\n{_logs.Describe()}";
        output.WriteLine($"failback {(back.Timestamp - beforeRestart).TotalMilliseconds:0} ms after the restart began; {load.Describe()}");
        string[] expected = ["Primary->FailingOver", "FailingOver->Secondary", "Secondary->FailingBack", "FailingBack->Primary"];
        Assert.True(expected.SequenceEqual(failover.Transitions), context);
        var failingBack = failover.Changes[2];
        Assert.True(failingBack.Timestamp - beforeRestart >= FailoverPoolSetup.FailbackDelay, $"failback began {failingBack.Timestamp - beforeRestart} after the restart.\n{context}");
        // The secondary's connections drain: their leases finish normally, so the failback itself fails nothing.
        Assert.Equal(failedBeforeRestart, load.Failed.Count);
        Assert.Empty(load.AcquireErrors);
        Assert.Equal(primary, pool.CurrentEndpoint);
        await using (var lease = await pool.AcquireAsync(ct))
        {
            Assert.Equal(primary, lease.Endpoint);
            Assert.Equal("PONG", (await lease.Connection.GetDatabase().ExecuteAsync("PING")).ToString());
        }
        var statistics = pool.GetFailoverStatistics()!.Value;
        Assert.Equal((1L, 1L), (statistics.FailoverCount, statistics.FailbackCount));
    }
}

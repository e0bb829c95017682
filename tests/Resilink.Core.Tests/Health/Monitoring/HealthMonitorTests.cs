using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Resilink.Health;
using Resilink.Monitoring;

namespace Resilink.Core.Tests.Health.Monitoring;

public sealed class HealthMonitorTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly List<HealthStatusChangedEventArgs> _changes = [];
    private HealthMonitor _monitor = null!;

    public Task InitializeAsync()
    {
        _monitor = Create(new HealthOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _monitor.DisposeAsync();

    [Fact]
    public async Task CheckAllAsync_AnsweringConnection_BecomesHealthyWithItsRtt()
    {
        var connection = Fake("a", rtt: TimeSpan.FromMilliseconds(20));
        _monitor.Track(connection);

        await _monitor.CheckAllAsync();

        var snapshot = _monitor.Snapshot(connection)!;
        Assert.Equal(HealthStatus.Healthy, snapshot.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(20), snapshot.Rtt.Last);
        Assert.Equal(1, snapshot.PingsSent);
        var change = Assert.Single(_changes);
        Assert.Equal((HealthStatus.Unknown, HealthStatus.Healthy), (change.Previous, change.Current));
    }

    [Fact]
    public async Task CheckAllAsync_PingNeverAnswered_FailsAfterPingTimeoutAndIsDeadAfterFailureThreshold()
    {
        var connection = Fake("a");
        connection.Ping = Unanswered;
        _monitor.Track(connection);

        for (int round = 1; round <= 3; round++)
        {
            Task check = _monitor.CheckAllAsync();
            Assert.False(check.IsCompleted); // waiting for the answer...
            _time.Advance(PingTimeout);       // ...until the timeout
            await check;
            Assert.Equal(round, _monitor.Snapshot(connection)!.ConsecutivePingFailures);
            _time.Advance(Interval - PingTimeout);
        }

        Assert.Equal(HealthStatus.Dead, _monitor.Find(connection)!.Status);
        Assert.False(_monitor.IsRoutable(connection));
        Assert.Equal("ping_timeout", _monitor.Snapshot(connection)!.RecentErrors[^1].Type);
        Assert.Equal(HealthStatus.Dead, _changes[^1].Current);
    }

    [Fact]
    public async Task Start_EachInterval_PingsEveryConnectionOnce()
    {
        var pinged = Channel.CreateUnbounded<string>();
        var a = Fake("a");
        var b = Fake("b");
        foreach (var c in new[] { a, b })
        {
            c.Ping = _ =>
            {
                pinged.Writer.TryWrite(c.Id);
                return Task.FromResult(TimeSpan.FromMilliseconds(1));
            };
            _monitor.Track(c);
        }

        _monitor.Start();
        Assert.False(pinged.Reader.TryRead(out _)); // nothing before the first interval
        _time.Advance(Interval);
        string[] first = [await ReadAsync(pinged.Reader), await ReadAsync(pinged.Reader)];
        _time.Advance(Interval);
        string[] second = [await ReadAsync(pinged.Reader), await ReadAsync(pinged.Reader)];

        Assert.Equal(["a", "b"], first.Order());
        Assert.Equal(["a", "b"], second.Order());
    }

    [Fact]
    public async Task ReportStreamFailure_OverMaxFailedStreams_ScoreDropsAtOnceWithoutAPing()
    {
        await _monitor.DisposeAsync();
        _monitor = Create(new HealthOptions { FailureThreshold = 1, MaxFailedStreams = 2 });
        var connection = Fake("a");
        _monitor.Track(connection);
        await _monitor.CheckAllAsync();
        double before = _monitor.Find(connection)!.Score;

        for (int i = 0; i < 3; i++)
        {
            _monitor.ReportStreamFailure(connection, "stream_reset", "reset by the remote peer");
        }

        var health = _monitor.Find(connection)!;
        Assert.True(health.Score < before, $"score {health.Score} should be below {before}");
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(3, _monitor.Snapshot(connection)!.FailedStreams);
    }

    [Fact]
    public async Task Untrack_MonitoredConnection_RaisesDeadAndForgetsIt()
    {
        var connection = Fake("a");
        _monitor.Track(connection);
        await _monitor.CheckAllAsync();

        Assert.True(_monitor.Untrack(connection, "reset by peer"));

        Assert.Equal(0, _monitor.Count);
        Assert.Null(_monitor.Find(connection));
        Assert.Equal(HealthStatus.Dead, _changes[^1].Current);
        Assert.Contains("reset by peer", _changes[^1].Reason, StringComparison.Ordinal);
        Assert.False(_monitor.Untrack(connection, "again"));
    }

    [Fact]
    public async Task Untrack_ClosedLocally_RaisesClosedNotDead()
    {
        var connection = Fake("a");
        _monitor.Track(connection);
        await _monitor.CheckAllAsync();

        Assert.True(_monitor.Untrack(connection, "host disposed", closedLocally: true));

        HealthStatusChangedEventArgs change = _changes[^1];
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Closed), (change.Previous, change.Current));
        Assert.Equal("closed locally: host disposed", change.Reason);
        Assert.DoesNotContain(_changes, c => c.Current == HealthStatus.Dead);
    }

    [Fact]
    public async Task StatusChanged_AnyMixOfPingsFailuresAndCloses_NeverReportsASameStatusChange()
    {
        var random = new Random(13);
        var connections = Enumerable.Range(0, 8).Select(i => Fake("c" + i)).ToList();
        foreach (var connection in connections)
        {
            connection.Ping = _ => random.Next(3) == 0
                ? Task.FromException<TimeSpan>(new IOException("reset"))
                : Task.FromResult(TimeSpan.FromMilliseconds(random.Next(1, 900)));
            _monitor.Track(connection);
        }

        for (int round = 0; round < 30; round++)
        {
            await _monitor.CheckAllAsync();
            _monitor.ReportStreamFailure(connections[random.Next(connections.Count)], "stream_reset", "reset");
        }
        for (int i = 0; i < connections.Count; i++)
        {
            _monitor.Untrack(connections[i], "closed", closedLocally: i % 2 == 0);
        }

        Assert.NotEmpty(_changes);
        Assert.All(_changes, c => Assert.NotEqual(c.Previous, c.Current));
    }

    [Fact]
    public async Task CheckAllAsync_PingThrows_CountsAsFailedCheckWithTheErrorType()
    {
        var connection = Fake("a");
        connection.Ping = _ => Task.FromException<TimeSpan>(new IOException("connection reset"));
        _monitor.Track(connection);

        await _monitor.CheckAllAsync();

        var snapshot = _monitor.Snapshot(connection)!;
        Assert.Equal(1, snapshot.PingsFailed);
        Assert.Equal("ping_io_error", snapshot.RecentErrors[^1].Type);
    }

    [Fact]
    public async Task StatusChanged_HandlerThrows_MonitorKeepsWorking()
    {
        _monitor.StatusChanged += (_, _) => throw new InvalidOperationException("subscriber bug");
        var connection = Fake("a");
        _monitor.Track(connection);

        await _monitor.CheckAllAsync();
        await _monitor.CheckAllAsync();

        Assert.Equal(2, _monitor.Snapshot(connection)!.PingsSent);
    }

    [Fact]
    public async Task CheckAllAsync_ManyConnections_NeverMoreThanMaxConcurrentPingsInFlight()
    {
        await _monitor.DisposeAsync();
        _monitor = Create(new HealthOptions { MaxConcurrentPings = 3 });
        int inFlight = 0, peak = 0;
        for (int i = 0; i < 20; i++)
        {
            var connection = Fake("c" + i);
            connection.Ping = async _ =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
                return TimeSpan.FromMilliseconds(1);
            };
            _monitor.Track(connection);
        }

        await _monitor.CheckAllAsync();

        Assert.InRange(peak, 1, 3);
        Assert.Equal(20, _changes.Count); // every connection checked: Unknown -> Healthy
    }

    [Fact]
    public async Task CheckAllAsync_WithConnectionMonitor_ReportsRttAndStatusChanges()
    {
        await _monitor.DisposeAsync();
        var recorder = new RecordingConnectionMonitor();
        _monitor = new HealthMonitor(new HealthOptions { HealthCheckInterval = Interval, PingTimeout = PingTimeout }, _time, connectionMonitor: recorder);
        _monitor.Track(Fake("a", rtt: TimeSpan.FromMilliseconds(7)));

        await _monitor.CheckAllAsync();

        var rtt = Assert.Single(recorder.Of<RttSampleEvent>());
        Assert.Equal(("a", TimeSpan.FromMilliseconds(7)), (rtt.ConnectionId, rtt.Rtt));
        var status = Assert.Single(recorder.Of<HealthStatusEvent>());
        Assert.Equal((HealthStatus.Unknown, HealthStatus.Healthy), (status.From, status.To));
    }

    [Fact]
    public void Track_SameConnectionTwice_OneRecord()
    {
        var connection = Fake("a");

        Assert.Same(_monitor.Track(connection), _monitor.Track(connection));
        Assert.Equal(1, _monitor.Count);
        Assert.True(_monitor.IsRoutable(Fake("unmonitored")));
    }

    private HealthMonitor Create(HealthOptions options)
    {
        options.EnableHealthMonitoring = true;
        options.HealthCheckInterval = Interval;
        options.PingTimeout = PingTimeout;
        var monitor = new HealthMonitor(options, _time);
        monitor.StatusChanged += (_, e) =>
        {
            lock (_changes)
            {
                _changes.Add(e);
            }
        };
        return monitor;
    }

    private FakeConnection Fake(string id, TimeSpan? rtt = null)
    {
        var connection = new FakeConnection(id, _time);
        TimeSpan answer = rtt ?? TimeSpan.FromMilliseconds(1);
        connection.Ping = _ => Task.FromResult(answer);
        return connection;
    }

    private static async Task<TimeSpan> Unanswered(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return TimeSpan.Zero;
    }

    private static async Task<string> ReadAsync(ChannelReader<string> reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadAsync(timeout.Token);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

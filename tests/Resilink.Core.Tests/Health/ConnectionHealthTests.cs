using Microsoft.Extensions.Time.Testing;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class ConnectionHealthTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new();

    private ConnectionHealth NewHealth(HealthOptions? options = null) =>
        new("c1", "peer-a", _time.GetUtcNow(), options ?? new HealthOptions(), _time);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static ConnectionHealth Healthy(ConnectionHealth health)
    {
        health.RecordPingSuccess(Ms(10));
        Assert.Equal(HealthStatus.Healthy, health.Evaluate()?.Current);
        return health;
    }

    // Ping answered every second, enough times that phi's seeded intervals left its history (deviation 100 ms).
    private ConnectionHealth SteadyOneSecondPings(HealthOptions options)
    {
        options.HealthCheckInterval = TimeSpan.FromSeconds(1);
        options.PhiMaxSampleSize = 10;
        ConnectionHealth health = NewHealth(options);
        for (int i = 0; i < 20; i++)
        {
            health.RecordPingSuccess(Ms(10));
            health.Evaluate();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(HealthStatus.Healthy, health.Status);
        return health;
    }

    [Fact]
    public void Constructor_New_UnknownWithScoreOneAndOpenedEvent()
    {
        ConnectionHealth health = NewHealth();
        Assert.Equal(HealthStatus.Unknown, health.Status);
        Assert.Equal(1.0, health.Score);
        Assert.True(health.IsRoutable);
        Assert.False(health.IsClosed);
        ConnectionLifecycleEvent opened = Assert.Single(health.Snapshot(0).RecentEvents);
        Assert.Equal(ConnectionEventKind.Opened, opened.Kind);
    }

    [Fact]
    public void Evaluate_NoPingResult_StaysUnknown()
    {
        ConnectionHealth health = NewHealth();
        health.RecordStreamOpened();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(health.Evaluate());
        Assert.Equal(HealthStatus.Unknown, health.Status);
    }

    [Fact]
    public void Evaluate_FirstAnsweredPing_BecomesHealthyAndRecordsChange()
    {
        ConnectionHealth health = NewHealth();
        health.RecordPingSuccess(Ms(100));

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.NotNull(change);
        Assert.Equal((HealthStatus.Unknown, HealthStatus.Healthy), (change.Previous, change.Current));
        Assert.Equal(("c1", "peer-a"), (change.ConnectionId, change.PeerKey));
        Assert.Equal(0.96, change.Score, 1e-12); // 0.4 · 0.9 + 0.4 + 0.2
        Assert.Equal("healthy: score 0.96", change.Reason);

        ConnectionHealthSnapshot snapshot = health.Snapshot(0);
        Assert.Equal(_time.GetUtcNow(), snapshot.LastStatusChange);
        ConnectionLifecycleEvent changed = snapshot.RecentEvents[^1];
        Assert.Equal(ConnectionEventKind.StatusChanged, changed.Kind);
        Assert.Equal("Unknown -> Healthy: healthy: score 0.96", changed.Detail);
    }

    [Fact]
    public void Evaluate_PingsFailInARow_DeadAfterFailureThreshold()
    {
        ConnectionHealth health = Healthy(NewHealth());
        for (int i = 1; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // too soon for phi to matter
            health.RecordPingFailure("ping_timeout", "no answer");
            health.Evaluate();
            Assert.NotEqual(HealthStatus.Dead, health.Status);
        }

        health.RecordPingFailure("ping_timeout", "no answer");
        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal(HealthStatus.Dead, change?.Current);
        Assert.Equal("ping failed 3 times in a row", change?.Reason);
        Assert.Equal(3, health.ConsecutivePingFailures);
    }

    [Fact]
    public void Evaluate_PhiOverThresholdAfterFailedPing_DeadBeforeFailureThreshold()
    {
        ConnectionHealth health = SteadyOneSecondPings(new HealthOptions { FailureThreshold = 5 });

        health.RecordPingFailure("ping_timeout", "no answer"); // 1 s after the last answer: expected
        Assert.Null(health.Evaluate());

        _time.Advance(TimeSpan.FromSeconds(1));
        health.RecordPingFailure("ping_timeout", "no answer"); // 2 s: phi far above 8
        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal(HealthStatus.Dead, change?.Current);
        Assert.StartsWith("phi ", change?.Reason);
        Assert.EndsWith(" >= 8", change?.Reason);
    }

    [Fact]
    public void Evaluate_PhiHighWithoutFailedPing_NotDead()
    {
        ConnectionHealth health = SteadyOneSecondPings(new HealthOptions());
        _time.Advance(TimeSpan.FromHours(1)); // no check ran
        Assert.True(health.Snapshot(0).Phi >= 8);
        Assert.Null(health.Evaluate());
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public void Evaluate_LatencyAboveMax_DegradedAfterFailureThresholdEvaluations()
    {
        ConnectionHealth health = Healthy(NewHealth(new HealthOptions { MaxPingLatency = Ms(500) }));
        for (int i = 1; i < 3; i++)
        {
            _time.Advance(Interval);
            health.RecordPingSuccess(Ms(5000));
            Assert.Null(health.Evaluate());
        }

        _time.Advance(Interval);
        health.RecordPingSuccess(Ms(5000));
        HealthStatusChangedEventArgs? change = health.Evaluate();

        // EWMA (α = 0.3) 10 → 1507 → 2554.9 → 3288.43 ms
        Assert.Equal(HealthStatus.Degraded, change?.Current);
        Assert.Equal("score 0.60 < 0.7; RTT 3288 ms > max 500 ms", change?.Reason);
    }

    [Fact]
    public void Evaluate_AfterDead_RecoveryNeedsRecoveryThresholdGoodEvaluations()
    {
        ConnectionHealth health = Healthy(NewHealth(new HealthOptions { PingSuccessWindowSize = 1 }));
        for (int i = 0; i < 3; i++)
        {
            health.RecordPingFailure("ping_timeout", "no answer");
            health.Evaluate();
        }

        Assert.Equal(HealthStatus.Dead, health.Status);
        health.RecordPingSuccess(Ms(10));
        Assert.Null(health.Evaluate());
        Assert.Equal(HealthStatus.Dead, health.Status);

        health.RecordPingSuccess(Ms(10));
        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal((HealthStatus.Dead, HealthStatus.Healthy), (change?.Previous, change?.Current));
        Assert.Equal(0, health.ConsecutivePingFailures);
    }

    [Fact]
    public void Evaluate_StreamFailure_LowersScoreAtOnce()
    {
        ConnectionHealth health = Healthy(NewHealth());
        double before = health.Score;

        health.RecordStreamFailure("stream_reset", "reset by peer");
        health.Evaluate();

        Assert.Equal(before - (0.2 * 0.2), health.Score, 1e-12);
        Assert.Equal(0.8, health.Snapshot(0).StabilityScore, 1e-12);
        Assert.Equal(1, health.Snapshot(0).FailedStreams);
    }

    [Fact]
    public void Evaluate_OnlyErrorRecorded_CountsAsEvidence()
    {
        ConnectionHealth health = NewHealth();
        health.RecordError("IOException", "broken pipe");
        Assert.Equal(HealthStatus.Healthy, health.Evaluate()?.Current); // score 0.96
    }

    [Fact]
    public void Evaluate_MoreFailuresThanMaxFailedStreams_Degraded()
    {
        ConnectionHealth health = NewHealth();
        for (int i = 0; i < 6; i++)
        {
            health.RecordStreamFailure("stream_reset", "reset");
        }

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal(HealthStatus.Degraded, change?.Current); // score 0.8 alone would be Healthy
        Assert.Equal("6 failures in the last 5 min > max 5", change?.Reason);
    }

    [Fact]
    public void Evaluate_FailuresOlderThanFailureMemory_StopCounting()
    {
        ConnectionHealth health = NewHealth(new HealthOptions { FailureMemory = TimeSpan.FromMinutes(1) });
        for (int i = 0; i < 5; i++)
        {
            health.RecordStreamFailure("stream_reset", "reset");
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        health.Evaluate();
        Assert.Equal(0.0, health.Snapshot(0).StabilityScore);

        _time.Advance(TimeSpan.FromSeconds(1));
        health.Evaluate();
        Assert.Equal(1.0, health.Snapshot(0).StabilityScore);
    }

    [Fact]
    public void Evaluate_LowPingSuccessRate_Degraded()
    {
        ConnectionHealth health = NewHealth(new HealthOptions { PingSuccessWindowSize = 10 });
        foreach (bool answered in new[] { true, false, true, false, true, false, true, false, true, true })
        {
            if (answered)
            {
                health.RecordPingSuccess(Ms(0));
            }
            else
            {
                health.RecordPingFailure("ping_timeout", "no answer");
            }
        }

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal(HealthStatus.Degraded, change?.Current); // score 0.84
        Assert.Equal("ping success 60% < 70%", change?.Reason);
    }

    [Fact]
    public void Evaluate_ScoreUnderMinimum_Unhealthy()
    {
        ConnectionHealth health = NewHealth(new HealthOptions { PingSuccessWindowSize = 2 });
        for (int i = 0; i < 5; i++)
        {
            health.RecordStreamFailure("stream_reset", "reset");
        }

        health.RecordPingSuccess(TimeSpan.FromSeconds(5));
        health.RecordPingFailure("ping_timeout", "no answer");

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal(HealthStatus.Unhealthy, change?.Current); // 0.4 · 0 + 0.4 · 0.5 + 0.2 · 0
        Assert.Equal("score 0.20 < 0.3", change?.Reason);
    }

    [Fact]
    public void MarkClosed_ThenEvaluate_DeadAtOnce()
    {
        ConnectionHealth health = Healthy(NewHealth());
        health.MarkClosed("remote reset");
        health.MarkClosed("again");

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Dead), (change?.Previous, change?.Current));
        Assert.Equal("closed: remote reset", change?.Reason);
        Assert.True(health.IsClosed);
        Assert.Single(health.Snapshot(0).RecentEvents, e => e.Kind == ConnectionEventKind.Closed && e.Detail == "remote reset");
    }

    [Fact]
    public void MarkClosed_NeverPinged_DeadAtOnce()
    {
        ConnectionHealth health = NewHealth();
        health.MarkClosed("dial cancelled");
        Assert.Equal(HealthStatus.Dead, health.Evaluate()?.Current);
    }

    [Fact]
    public void MarkClosed_Locally_ClosedAtOnceNotDead()
    {
        ConnectionHealth health = Healthy(NewHealth());
        health.MarkClosed("host disposed", closedLocally: true);

        HealthStatusChangedEventArgs? change = health.Evaluate();
        Assert.Equal((HealthStatus.Healthy, HealthStatus.Closed), (change?.Previous, change?.Current));
        Assert.Equal("closed locally: host disposed", change?.Reason);
        Assert.Null(health.Evaluate()); // closed is final: no "Closed -> Closed"
    }

    [Fact]
    public void Snapshot_BoundedHistories_KeepLatestOldestFirst()
    {
        ConnectionHealth health = NewHealth(new HealthOptions { HistorySize = 3 });
        for (int i = 1; i <= 5; i++)
        {
            health.RecordError("e" + i, "error " + i);
            health.RecordEvent(ConnectionEventKind.Excluded, "event " + i);
        }

        ConnectionHealthSnapshot snapshot = health.Snapshot(0);
        Assert.Equal(new[] { "e3", "e4", "e5" }, snapshot.RecentErrors.Select(e => e.Type));
        Assert.Equal(new[] { "event 3", "event 4", "event 5" }, snapshot.RecentEvents.Select(e => e.Detail));
    }

    [Fact]
    public void ObserveByteTotals_CumulativeTotals_FeedsDeltas()
    {
        ConnectionHealth health = NewHealth();
        _time.Advance(TimeSpan.FromSeconds(1));
        health.ObserveByteTotals(100, 10);
        _time.Advance(TimeSpan.FromSeconds(1));
        health.ObserveByteTotals(350, 10);

        BandwidthStatistics bandwidth = health.Snapshot(0).Bandwidth;
        Assert.Equal((350L, 10L), (bandwidth.BytesIn, bandwidth.BytesOut));
        Assert.Equal(250, bandwidth.CurrentIn, 1e-6);
        Assert.Equal(250, bandwidth.PeakIn, 1e-6);
    }

    [Fact]
    public void ObserveByteTotals_SteadyRateObservedOnceAMinute_RatesAreTheRate()
    {
        ConnectionHealth health = NewHealth();
        for (int minute = 1; minute <= 3; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            health.ObserveByteTotals(minute * 60_000L, 0);
        }

        BandwidthStatistics bandwidth = health.Snapshot(0).Bandwidth;
        Assert.Equal(1000, bandwidth.CurrentIn, 1e-6); // not 60,000: a minute's bytes are not one second's
        Assert.Equal(1000, bandwidth.AverageIn, 1e-6);
        Assert.Equal(1000, bandwidth.PeakIn, 1e-6);
    }

    [Fact]
    public void ObserveByteTotals_RecordMadeLateForAnOldConnection_SpreadsBytesOverItsAge()
    {
        // What the host does for an unmonitored connection: a fresh record, one look at the lifetime totals.
        DateTimeOffset openedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(10));
        var health = new ConnectionHealth("c1", "peer-a", openedAt, new HealthOptions(), _time);
        health.ObserveByteTotals(600_000, 60_000);

        BandwidthStatistics bandwidth = health.Snapshot(0).Bandwidth;
        Assert.Equal(1000, bandwidth.CurrentIn, 1e-6); // not 600,000
        Assert.Equal(1000, bandwidth.AverageIn, 1e-6);
        Assert.Equal(1000, bandwidth.PeakIn, 1e-6);
        Assert.Equal(100, bandwidth.CurrentOut, 1e-6);
        Assert.Equal(600_000, bandwidth.BytesIn);
    }

    [Fact]
    public void ObserveByteTotals_TotalGoesBack_AddsNothingAndRebases()
    {
        ConnectionHealth health = NewHealth();
        health.ObserveByteTotals(100, 100);
        health.ObserveByteTotals(40, 100);
        health.ObserveByteTotals(70, 130);

        BandwidthStatistics bandwidth = health.Snapshot(0).Bandwidth;
        Assert.Equal((130L, 130L), (bandwidth.BytesIn, bandwidth.BytesOut));
    }

    [Fact]
    public void Snapshot_AfterActivity_ReportsEveryCounter()
    {
        DateTimeOffset openedAt = _time.GetUtcNow();
        ConnectionHealth health = NewHealth();
        health.RecordPingSuccess(Ms(20));
        health.RecordPingFailure("ping_timeout", "no answer");
        health.RecordPingSuccess(Ms(40));
        health.RecordStreamOpened();
        health.RecordStreamOpened();
        health.RecordStreamFailure("stream_reset", "reset");
        health.Evaluate();
        health.IsRoutable = false;
        _time.Advance(TimeSpan.FromMinutes(2));

        ConnectionHealthSnapshot s = health.Snapshot(activeStreams: 7);
        Assert.Equal((3L, 1L, 0), (s.PingsSent, s.PingsFailed, s.ConsecutivePingFailures));
        Assert.Equal(2.0 / 3, s.PingSuccessRate, 1e-12);
        Assert.Equal((7, 2L, 1L), (s.ActiveStreams, s.StreamsOpened, s.FailedStreams));
        Assert.Equal((Ms(40), 2L), (s.Rtt.Last, s.Rtt.SampleCount));
        Assert.Equal((openedAt, TimeSpan.FromMinutes(2)), (s.OpenedAt, s.Age));
        Assert.Equal(openedAt, s.LastStatusChange);
        Assert.False(s.IsRoutable);
        Assert.Equal(new[] { "ping_timeout", "stream_reset" }, s.RecentErrors.Select(e => e.Type));
        Assert.Equal(health.Score, s.Score);
        Assert.True(s.Phi > 0);
    }

    [Fact]
    public void RecordPingSuccess_AfterFailures_ResetsConsecutiveFailures()
    {
        ConnectionHealth health = NewHealth();
        health.RecordPingFailure("ping_timeout", "no answer");
        health.RecordPingFailure("ping_timeout", "no answer");
        Assert.Equal(2, health.ConsecutivePingFailures);
        health.RecordPingSuccess(Ms(10));
        Assert.Equal(0, health.ConsecutivePingFailures);
    }
}

using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverStatisticsTests
{
    [Fact]
    public void Statistics_New_OnlyOngoingPrimaryTime()
    {
        var h = new FailoverHarness();
        h.Time.Advance(TimeSpan.FromSeconds(7));

        var stats = h.Controller.Statistics;

        Assert.Equal(FailoverState.Primary, stats.State);
        Assert.Equal(TimeSpan.FromSeconds(7), stats.TimeInPrimary);
        Assert.Equal((0L, 0L, 0L), (stats.FailoverCount, stats.FailbackCount, stats.FailedSwitchCount));
        Assert.Null(stats.LastReason);
        Assert.Null(stats.LastTransitionAt);
    }

    [Fact]
    public async Task Statistics_ThroughEveryState_TimeInEachIncludingOngoingAndLastReason()
    {
        var hook = new ControlledHook();
        var h = new FailoverHarness(onSwitch: hook.InvokeAsync);
        var c = h.Controller;

        h.Time.Advance(TimeSpan.FromSeconds(10)); // Primary 10 s
        h.Fail(A);
        var warmUp = await hook.NextAsync();
        h.Time.Advance(TimeSpan.FromSeconds(2));  // FailingOver 2 s
        warmUp.Completion.SetResult();
        await h.WaitForAsync(FailoverState.Secondary);
        h.Time.Advance(TimeSpan.FromSeconds(20)); // Secondary 20 s
        h.Fail(B);                                // -> Unavailable (primary still failed)
        h.Time.Advance(TimeSpan.FromSeconds(5));  // Unavailable 5 s
        c.RecordSuccess(B);                       // -> Secondary
        c.RecordSuccess(A);
        h.Time.Advance(TimeSpan.FromSeconds(60)); // Secondary 60 s more, then failback starts
        var warmBack = await hook.NextAsync();
        h.Time.Advance(TimeSpan.FromSeconds(3));  // FailingBack 3 s
        warmBack.Completion.SetResult();
        await h.WaitForAsync(FailoverState.Primary);
        h.Time.Advance(TimeSpan.FromSeconds(4));  // Primary 4 s more, ongoing

        var stats = c.Statistics;
        Assert.Equal(TimeSpan.FromSeconds(14), stats.TimeInPrimary);
        Assert.Equal(TimeSpan.FromSeconds(2), stats.TimeFailingOver);
        Assert.Equal(TimeSpan.FromSeconds(80), stats.TimeInSecondary);
        Assert.Equal(TimeSpan.FromSeconds(5), stats.TimeUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(3), stats.TimeFailingBack);
        Assert.Equal(TimeSpan.FromSeconds(3), stats.TimeIn(FailoverState.FailingBack));
        Assert.Equal((1L, 1L, 0L), (stats.FailoverCount, stats.FailbackCount, stats.FailedSwitchCount));
        Assert.Equal("primary 'db-a' healthy for 60 s", stats.LastReason);
        Assert.Equal(h.Time.GetUtcNow() - TimeSpan.FromSeconds(4), stats.LastTransitionAt);
        Assert.Equal(
            ["Primary>FailingOver", "FailingOver>Secondary", "Secondary>Unavailable", "Unavailable>Secondary", "Secondary>FailingBack", "FailingBack>Primary"],
            h.Path);
    }

    [Fact]
    public async Task RecordFailure_ManyThreadsReportingAtOnce_EventsFormOneUnbrokenChainEndingInTheCurrentState()
    {
        var h = new FailoverHarness(new FailoverOptions { FailureThreshold = 2, FailbackDelay = TimeSpan.Zero });
        var c = h.Controller;

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (int i = 0; i < 5_000; i++)
            {
                string endpoint = random.Next(2) == 0 ? A : B;
                switch (random.Next(3))
                {
                    case 0: c.RecordSuccess(endpoint); break;
                    case 1: c.RecordFailure(endpoint, Refused()); break;
                    default: c.ReportHealth(endpoint, random.NextDouble()); break;
                }
                _ = c.TryGetCurrent(out _);
            }
        }));
        await Task.WhenAll(workers).WithTimeout();

        var events = h.Events;
        Assert.True(events.Count > 10, $"only {events.Count} transitions");
        Assert.Equal(FailoverState.Primary, events[0].From);
        for (int i = 1; i < events.Count; i++)
        {
            Assert.Equal(events[i - 1].To, events[i].From);
        }
        Assert.Equal(events[^1].To, c.State);
        var stats = c.Statistics;
        Assert.Equal(
            events.Count(e => e is { From: FailoverState.FailingOver, To: FailoverState.Secondary }),
            stats.FailoverCount);
        Assert.Equal(
            events.Count(e => e is { From: FailoverState.FailingBack, To: FailoverState.Primary }),
            stats.FailbackCount);
    }
}

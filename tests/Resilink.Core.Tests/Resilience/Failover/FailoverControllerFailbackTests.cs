using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerFailbackTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(60);

    private readonly FailoverHarness _h = new();

    private FailoverController<string> Controller => _h.Controller;

    [Fact]
    public void RecordSuccess_PrimaryHealthyForFailbackDelay_FailsBackAutomatically()
    {
        _h.Fail(A);
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        Controller.RecordSuccess(A);

        _h.Time.Advance(Delay - Tick);
        Assert.Equal(FailoverState.Secondary, Controller.State);
        _h.Time.Advance(Tick);

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(["Secondary>FailingBack", "FailingBack>Primary"], _h.Path[2..]);
        Assert.Equal("primary 'db-a' healthy for 60 s", _h.Events[^1].Reason);
        Assert.Equal(1, Controller.Statistics.FailbackCount);
    }

    [Fact]
    public void ReportHealth_PrimaryFailsAgainDuringDelay_FailbackCancelledUntilHealthyForAFullDelayAgain()
    {
        _h.Fail(A);
        Controller.RecordSuccess(A);
        _h.Time.Advance(TimeSpan.FromSeconds(30));

        Controller.ReportHealth(A, healthy: false);
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(FailoverState.Secondary, Controller.State);

        Controller.ReportHealth(A, healthy: true);
        _h.Time.Advance(Delay - Tick);
        Assert.Equal(FailoverState.Secondary, Controller.State);
        _h.Time.Advance(Tick);
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(1, Controller.Statistics.FailbackCount);
    }

    [Fact]
    public void RecordFailure_SingleFailureOfRecoveredPrimaryDuringDelay_WaitRestartsAtTheNextSuccess()
    {
        _h.Fail(A);
        Controller.RecordSuccess(A);
        _h.Time.Advance(TimeSpan.FromSeconds(50));

        Controller.RecordFailure(A, Refused()); // one failure: not failed, but no longer known to work
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        Controller.RecordSuccess(A);
        _h.Time.Advance(Delay - Tick);
        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.False(Controller.IsFailed(A));
        _h.Time.Advance(Tick);

        Assert.Equal(FailoverState.Primary, Controller.State);
    }

    [Fact]
    public void RecordFailure_SingleFailureOfRecoveredPrimaryAndNoSuccessSince_NeverFailsBack()
    {
        // Seen with Redis: the primary's probe failed just before it came back, and the old wait counted from that
        // failure, so failback began less than FailbackDelay after the primary's first success.
        _h.Fail(A);
        Controller.RecordSuccess(A);
        _h.Time.Advance(TimeSpan.FromSeconds(50));

        Controller.RecordFailure(A, Refused());
        _h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.Equal(0, Controller.Statistics.FailbackCount);
    }

    [Fact]
    public void RecordSuccess_AutomaticFailbackOff_StaysOnSecondaryUntilFailbackAsync()
    {
        var h = new FailoverHarness(new FailoverOptions { AutomaticFailback = false });
        h.Fail(A);
        h.Controller.RecordSuccess(A);

        h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(FailoverState.Secondary, h.Controller.State);
    }

    [Fact]
    public void RecordSuccess_FailbackDelayZero_FailsBackOnRecovery()
    {
        var h = new FailoverHarness(new FailoverOptions { FailbackDelay = TimeSpan.Zero });
        h.Fail(A);

        h.Controller.RecordSuccess(A);

        Assert.Equal(FailoverState.Primary, h.Controller.State);
        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary", "Secondary>FailingBack", "FailingBack>Primary"], h.Path);
    }

    [Fact]
    public void RecordSuccess_SecondaryAfterUnavailable_FailsBackOncePrimaryHealthyForDelay()
    {
        _h.Fail(A);
        _h.Fail(B);
        Controller.RecordSuccess(B);
        Assert.Equal(FailoverState.Secondary, Controller.State);

        Controller.RecordSuccess(A);
        _h.Time.Advance(Delay);

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(["Unavailable>Secondary", "Secondary>FailingBack", "FailingBack>Primary"], _h.Path[^3..]);
    }
}

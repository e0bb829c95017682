using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerTransitionTests
{
    private readonly FailoverHarness _h = new();

    private FailoverController<string> Controller => _h.Controller;

    [Fact]
    public void Constructor_New_OnPrimaryWithNothingFailed()
    {
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(A, Controller.Current);
        Assert.False(Controller.IsFailed(A) || Controller.IsFailed(B));
        Assert.Empty(_h.Events);
    }

    [Fact]
    public void Constructor_SameEndpointTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FailoverController<string>(A, A, new FailoverOptions()));
    }

    [Fact]
    public void RecordFailure_UnknownEndpoint_Throws()
    {
        Assert.Throws<ArgumentException>(() => Controller.RecordFailure("db-c", Refused()));
    }

    [Fact]
    public void RecordFailure_BelowThresholdOrInterruptedBySuccess_StaysOnPrimary()
    {
        _h.Fail(A, times: 2);
        Controller.RecordSuccess(A);
        _h.Fail(A, times: 2);

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.False(Controller.IsFailed(A));
        Assert.Empty(_h.Events);
    }

    [Fact]
    public void RecordFailure_ThresholdOnActivePrimary_FailsOverThroughFailingOver()
    {
        _h.Fail(A);

        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary"], _h.Path);
        Assert.Equal(B, Controller.Current);
        Assert.True(Controller.IsFailed(A));
        Assert.Equal("primary 'db-a' failed: 3 consecutive failures (last: Connection refused)", _h.Events[^1].Reason);
        Assert.Equal(_h.Time.GetUtcNow(), _h.Events[^1].Timestamp);
    }

    [Theory]
    [InlineData(0.29, true)]
    [InlineData(0.3, false)]
    [InlineData(0.9, false)]
    public void ReportHealth_ScoreAgainstHealthThreshold_FailsOverOnlyBelowIt(double score, bool failsOver)
    {
        Controller.ReportHealth(A, score);

        Assert.Equal(failsOver ? FailoverState.Secondary : FailoverState.Primary, Controller.State);
        if (failsOver)
        {
            Assert.Contains("health score 0.29 under 0.3", _h.Events[0].Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReportHealth_HealthThresholdZero_ScoresIgnored()
    {
        var h = new FailoverHarness(new FailoverOptions { HealthThreshold = 0 });

        h.Controller.ReportHealth(A, 0.0);

        Assert.Equal(FailoverState.Primary, h.Controller.State);
    }

    [Fact]
    public void ReportHealth_ScoreOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Controller.ReportHealth(A, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Controller.ReportHealth(A, double.NaN));
    }

    [Fact]
    public void ReportHealth_UnhealthyPrimary_FailsOverAtOnce()
    {
        Controller.ReportHealth(A, healthy: false);

        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.Contains("reported unhealthy", _h.Events[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordFailure_StandbySecondaryFails_StaysOnPrimary()
    {
        _h.Fail(B);

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.True(Controller.IsFailed(B));
        Assert.Empty(_h.Events);
    }

    [Fact]
    public void RecordFailure_PrimaryFailsWhileSecondaryFailed_UnavailableAndCurrentThrowsNamingBoth()
    {
        Controller.ReportHealth(B, healthy: false);
        _h.Fail(A);

        Assert.Equal(["Primary>Unavailable"], _h.Path);
        var error = Assert.Throws<EndpointUnavailableException>(() => Controller.Current);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal((A, B), (error.Primary, error.Secondary));
        Assert.Equal("3 consecutive failures (last: Connection refused)", error.PrimaryReason);
        Assert.Equal("reported unhealthy", error.SecondaryReason);
        Assert.Contains("'db-a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'db-b'", error.Message, StringComparison.Ordinal);
        Assert.False(Controller.TryGetCurrent(out _));
    }

    [Fact]
    public void RecordFailure_SecondaryFailsWhileActiveAndPrimaryFailed_Unavailable()
    {
        _h.Fail(A);
        _h.Fail(B);

        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary", "Secondary>Unavailable"], _h.Path);
        Assert.Throws<EndpointUnavailableException>(() => Controller.Current);
    }

    [Fact]
    public void RecordSuccess_PrimaryRecoversFromUnavailable_StraightToPrimary()
    {
        _h.Fail(A);
        _h.Fail(B);

        Controller.RecordSuccess(A);

        Assert.Equal("Unavailable>Primary", _h.Path[^1]);
        Assert.Equal(A, Controller.Current);
    }

    [Fact]
    public void RecordSuccess_SecondaryRecoversFromUnavailable_StraightToSecondary()
    {
        _h.Fail(A);
        _h.Fail(B);

        Controller.ReportHealth(B, 0.8);

        Assert.Equal("Unavailable>Secondary", _h.Path[^1]);
        Assert.Equal(B, Controller.Current);
    }

    [Fact]
    public void RecordFailure_ActiveSecondaryFailsWhilePrimaryHealthy_FailsBackAtOnce()
    {
        _h.Fail(A);
        Controller.RecordSuccess(A); // recovered, but FailbackDelay has not passed

        _h.Fail(B);

        Assert.Equal(["FailingOver>Secondary", "Secondary>FailingBack", "FailingBack>Primary"], _h.Path[1..]);
        Assert.Equal(A, Controller.Current);
        Assert.Equal((1L, 1L), (Controller.Statistics.FailoverCount, Controller.Statistics.FailbackCount));
    }

    [Fact]
    public void StateChanged_HandlerThrows_ControllerGoesOn()
    {
        Controller.StateChanged += (_, _) => throw new InvalidOperationException("broken subscriber");

        _h.Fail(A);

        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.Equal(2, _h.Events.Count);
    }
}

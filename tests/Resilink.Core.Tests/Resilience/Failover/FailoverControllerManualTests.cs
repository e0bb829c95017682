using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerManualTests
{
    private readonly FailoverHarness _h = new();

    private FailoverController<string> Controller => _h.Controller;

    [Fact]
    public async Task FailoverAsync_OnPrimary_SwitchesAndStaysOnSecondaryDespiteHealthyPrimary()
    {
        Assert.True(await Controller.FailoverAsync("maintenance of db-a"));

        _h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.Equal(B, Controller.Current);
        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary"], _h.Path);
        Assert.All(_h.Events, e => Assert.Equal("manual: maintenance of db-a", e.Reason));
        Assert.False(Controller.IsFailed(A));
    }

    [Fact]
    public async Task FailbackAsync_AfterManualFailover_ReturnsAndReenablesAutomaticFailback()
    {
        await Controller.FailoverAsync("drill");

        Assert.True(await Controller.FailbackAsync("drill over"));
        Assert.Equal(FailoverState.Primary, Controller.State);
        _h.Fail(A);
        Controller.RecordSuccess(A);
        _h.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal((2L, 2L), (Controller.Statistics.FailoverCount, Controller.Statistics.FailbackCount));
    }

    [Fact]
    public async Task FailbackAsync_BeforeFailbackDelay_SwitchesAtOnce()
    {
        _h.Fail(A);
        Controller.RecordSuccess(A);

        Assert.True(await Controller.FailbackAsync("primary is fine"));

        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal("manual: primary is fine", _h.Events[^1].Reason);
    }

    [Fact]
    public async Task FailoverAsync_AlreadyOnSecondary_ReturnsFalseAndPinsIt()
    {
        _h.Fail(A);
        Controller.RecordSuccess(A);

        Assert.False(await Controller.FailoverAsync("stay there"));
        _h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(FailoverState.Secondary, Controller.State);
    }

    [Fact]
    public async Task FailbackAsync_AlreadyOnPrimary_ReturnsFalse()
    {
        Assert.False(await Controller.FailbackAsync("nothing to do"));
        Assert.Empty(_h.Events);
    }

    [Fact]
    public async Task FailoverAsync_SecondaryFailed_ThrowsAndStaysOnPrimary()
    {
        _h.Fail(B);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Controller.FailoverAsync("try"));

        Assert.Contains("secondary 'db-b'", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Empty(_h.Events);
    }

    [Fact]
    public async Task FailbackAsync_PrimaryFailed_Throws()
    {
        _h.Fail(A);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Controller.FailbackAsync("too early"));
        Assert.Equal(FailoverState.Secondary, Controller.State);
    }

    [Fact]
    public async Task FailoverAsync_Unavailable_Throws()
    {
        _h.Fail(B);
        _h.Fail(A);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Controller.FailoverAsync("anything"));
        Assert.Equal(FailoverState.Unavailable, Controller.State);
    }

    [Fact]
    public async Task FailoverAsync_BlankReason_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Controller.FailoverAsync(" "));
    }

    [Fact]
    public async Task FailoverAsync_AfterDispose_ThrowsAndReportsAreIgnored()
    {
        await Controller.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Controller.FailoverAsync("late"));
        _h.Fail(A);
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(A, Controller.Current);
    }
}

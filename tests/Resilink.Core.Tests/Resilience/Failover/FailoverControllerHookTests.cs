using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerHookTests
{
    private readonly ControlledHook _hook = new();
    private readonly FailoverHarness _h;

    public FailoverControllerHookTests() => _h = new FailoverHarness(onSwitch: _hook.InvokeAsync);

    private FailoverController<string> Controller => _h.Controller;

    [Fact]
    public async Task FailoverAsync_WithHook_WarmsSecondaryWhilePrimaryServesThenSwitches()
    {
        var failover = Controller.FailoverAsync("planned");
        var call = await _hook.NextAsync();

        Assert.Equal(B, call.Endpoint);
        Assert.Equal(FailoverState.FailingOver, Controller.State);
        Assert.Equal(A, Controller.Current); // make before break: the healthy primary serves meanwhile
        Assert.False(failover.IsCompleted);
        call.Completion.SetResult();

        Assert.True(await failover.WithTimeout());
        Assert.Equal(FailoverState.Secondary, Controller.State);
        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary"], _h.Path);
    }

    [Fact]
    public async Task RecordFailure_AutomaticFailoverWithHook_FailedPrimaryNotUsedDuringWarmUp()
    {
        _h.Fail(A);
        var call = await _hook.NextAsync();

        Assert.Equal(FailoverState.FailingOver, Controller.State);
        Assert.Equal(B, Controller.Current);
        call.Completion.SetResult();

        await _h.WaitForAsync(FailoverState.Secondary);
        Assert.Equal(1, Controller.Statistics.FailoverCount);
    }

    [Fact]
    public async Task FailoverAsync_HookThrows_SecondaryFailedBackOnPrimaryAndErrorThrown()
    {
        var failover = Controller.FailoverAsync("planned");
        var call = await _hook.NextAsync();
        var boom = new IOException("warm-up refused");

        call.Completion.SetException(boom);

        Assert.Same(boom, await Assert.ThrowsAsync<IOException>(() => failover.WithTimeout()));
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal(["Primary>FailingOver", "FailingOver>Primary"], _h.Path);
        Assert.Equal("switch to secondary 'db-b' failed: warm-up refused", _h.Events[^1].Reason);
        Assert.True(Controller.IsFailed(B));
        var stats = Controller.Statistics;
        Assert.Equal((0L, 1L), (stats.FailoverCount, stats.FailedSwitchCount));
    }

    [Fact]
    public async Task RecordFailure_HookThrowsAfterPrimaryFailed_Unavailable()
    {
        _h.Fail(A);
        var call = await _hook.NextAsync();

        call.Completion.SetException(new IOException("warm-up refused"));
        await _h.WaitForAsync(FailoverState.Unavailable);

        var error = Assert.Throws<EndpointUnavailableException>(() => Controller.Current);
        Assert.Equal("switch hook failed: warm-up refused", error.SecondaryReason);
    }

    [Fact]
    public async Task FailoverAsync_HookHangs_SwitchTimeoutCancelsItAndSwitchFails()
    {
        var failover = Controller.FailoverAsync("planned");
        var call = await _hook.NextAsync();

        _h.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(call.Token.IsCancellationRequested);
        _h.Time.Advance(TimeSpan.FromTicks(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => failover.WithTimeout());
        Assert.True(call.Token.IsCancellationRequested);
        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.True(Controller.IsFailed(B));
    }

    [Fact]
    public async Task RecordFailure_NewEndpointFailsDuringSwitch_SwitchAbandonedAndHookCancelled()
    {
        var failover = Controller.FailoverAsync("planned");
        var call = await _hook.NextAsync();

        _h.Fail(B);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failover.WithTimeout());
        Assert.Equal(FailoverState.Primary, Controller.State);
        Assert.Equal("FailingOver>Primary", _h.Path[^1]);
        Assert.Contains("failed during the failover", _h.Events[^1].Reason, StringComparison.Ordinal);
        Assert.True(call.Token.IsCancellationRequested);
        Assert.Equal(1, Controller.Statistics.FailedSwitchCount);
    }

    [Fact]
    public async Task RecordSuccess_AutomaticFailbackWithHook_WarmsPrimaryThenFailsBack()
    {
        _h.Fail(A);
        (await _hook.NextAsync()).Completion.SetResult();
        await _h.WaitForAsync(FailoverState.Secondary);
        Controller.RecordSuccess(A);

        _h.Time.Advance(TimeSpan.FromSeconds(60));
        var call = await _hook.NextAsync();

        Assert.Equal(A, call.Endpoint);
        Assert.Equal((FailoverState.FailingBack, B), (Controller.State, Controller.Current));
        call.Completion.SetResult();
        await _h.WaitForAsync(FailoverState.Primary);
        Assert.Equal(1, Controller.Statistics.FailbackCount);
    }

    [Fact]
    public async Task FailbackAsync_DuringFailover_WaitsForItThenFailsBack()
    {
        var failover = Controller.FailoverAsync("planned");
        var first = await _hook.NextAsync();
        var failback = Controller.FailbackAsync("changed my mind");
        Assert.False(failback.IsCompleted);

        first.Completion.SetResult();
        Assert.True(await failover.WithTimeout());
        var second = await _hook.NextAsync();
        Assert.Equal(A, second.Endpoint);
        second.Completion.SetResult();

        Assert.True(await failback.WithTimeout());
        Assert.Equal(["Primary>FailingOver", "FailingOver>Secondary", "Secondary>FailingBack", "FailingBack>Primary"], _h.Path);
    }

    [Fact]
    public async Task DisposeAsync_DuringSwitch_CancelsHookAndEndsWaiters()
    {
        var failover = Controller.FailoverAsync("planned");
        var call = await _hook.NextAsync();

        await Controller.DisposeAsync().AsTask().WithTimeout();

        Assert.True(call.Token.IsCancellationRequested);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => failover.WithTimeout());
    }

    [Fact]
    public async Task FailoverAsync_HookThrowsSynchronously_TreatedAsHookFailure()
    {
        var h = new FailoverHarness(onSwitch: (_, _) => throw new InvalidOperationException("no warm-up for you"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Controller.FailoverAsync("planned").WithTimeout());

        Assert.Equal(FailoverState.Primary, h.Controller.State);
        Assert.True(h.Controller.IsFailed(B));
    }

    [Fact]
    public async Task FailoverAsync_HookIgnoresItsToken_AbandonedAtSwitchTimeout()
    {
        var never = new TaskCompletionSource();
        var h = new FailoverHarness(onSwitch: (_, _) => never.Task);
        var failover = h.Controller.FailoverAsync("planned");

        h.Time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<TimeoutException>(() => failover.WithTimeout());
        Assert.Equal(FailoverState.Primary, h.Controller.State);
        await h.Controller.DisposeAsync().AsTask().WithTimeout();
    }
}

using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Resilink.Monitoring;
using Resilink.Resilience;
using CircuitState = Resilink.Monitoring.CircuitState;

namespace Resilink.Core.Tests.Resilience.CircuitBreaking;

/// <summary>The state machine of one key's breaker: opening, rejecting, half-opening, closing, manual control.</summary>
public sealed class CircuitBreakerRegistryTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingConnectionMonitor _monitor = new();
    private readonly CircuitBreakerRegistry _registry;

    public CircuitBreakerRegistryTests() => _registry = new CircuitBreakerRegistry(new CircuitBreakerOptions(), _time, _monitor);

    private static async ValueTask<int> Refused(CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw new IOException("Connection refused");
    }

    private static async ValueTask<int> Answers(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return 42;
    }

    private async Task FailAsync(string key, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            await Assert.ThrowsAsync<IOException>(() => _registry.ExecuteAsync(key, Refused).AsTask());
        }
    }

    [Fact]
    public async Task ExecuteAsync_ThreeFailuresWithinSamplingDuration_Opens()
    {
        await FailAsync("peer-a", 2);
        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));

        await FailAsync("peer-a");

        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a"));
    }

    [Fact]
    public async Task ExecuteAsync_FailureRatioBelowHalf_StaysClosedUntilItReachesIt()
    {
        Assert.Equal(42, await _registry.ExecuteAsync("peer-a", Answers));
        Assert.Equal(42, await _registry.ExecuteAsync("peer-a", Answers));
        await FailAsync("peer-a");
        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a")); // 1 of 3 failed

        await FailAsync("peer-a");

        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a"));   // 2 of 4
    }

    [Fact]
    public async Task ExecuteAsync_FailuresOlderThanSamplingDuration_DoNotCount()
    {
        await FailAsync("peer-a", 2);
        _time.Advance(TimeSpan.FromSeconds(31));

        await FailAsync("peer-a");

        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
    }

    [Fact]
    public async Task ExecuteAsync_Open_RejectsWithoutCallingAndNamesKeyRetryTimeAndCause()
    {
        await FailAsync("peer-a", 3);
        _time.Advance(TimeSpan.FromSeconds(2));
        var called = false;

        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => _registry.ExecuteAsync("peer-a", _ =>
        {
            called = true;
            return ValueTask.FromResult(0);
        }).AsTask());

        Assert.False(called);
        Assert.Equal(("peer-a", CircuitState.Open, Start + Break), (error.Key, error.State, error.RetryAt));
        Assert.Contains("'peer-a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("2025-01-01T00:00:05.000Z", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.IsType<BrokenCircuitException>(error.InnerException);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public async Task ExecuteAsync_JustBeforeBreakEnds_StillRejects()
    {
        await FailAsync("peer-a", 3);
        _time.Advance(Break - TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<CircuitOpenException>(() => _registry.ExecuteAsync("peer-a", Answers).AsTask());
    }

    [Fact]
    public async Task ExecuteAsync_AfterBreak_TrialIsHalfOpenRejectsOthersAndClosesOnSuccess()
    {
        await FailAsync("peer-a", 3);
        _time.Advance(Break);
        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a")); // half-opens only when a call comes
        var trialStarted = new TaskCompletionSource();
        var finishTrial = new TaskCompletionSource<int>();

        var trial = _registry.ExecuteAsync("peer-a", _ =>
        {
            trialStarted.SetResult();
            return new ValueTask<int>(finishTrial.Task);
        }).AsTask();
        await trialStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var other = await Assert.ThrowsAsync<CircuitOpenException>(() => _registry.ExecuteAsync("peer-a", Answers).AsTask());
        Assert.Equal(CircuitState.HalfOpen, _registry.GetState("peer-a"));
        Assert.Equal(CircuitState.HalfOpen, other.State);
        Assert.Contains("half-open", other.Message, StringComparison.Ordinal);
        finishTrial.SetResult(7);

        Assert.Equal(7, await trial);
        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
        Assert.Equal(42, await _registry.ExecuteAsync("peer-a", Answers));
    }

    [Fact]
    public async Task ExecuteAsync_TrialFails_ReopensForAnotherBreak()
    {
        await FailAsync("peer-a", 3);
        _time.Advance(Break);

        await FailAsync("peer-a");

        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a"));
        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => _registry.ExecuteAsync("peer-a", Answers).AsTask());
        Assert.Equal(Start + Break + Break, error.RetryAt);
    }

    [Fact]
    public async Task ExecuteAsync_ErrorsThatAreNotFailures_NeverOpen()
    {
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => _registry.ExecuteAsync<int>("peer-a", _ => throw new ArgumentException("bug")).AsTask());
            using var caller = new CancellationTokenSource();
            await Assert.ThrowsAsync<IOException>(() => _registry.ExecuteAsync<int>("peer-a", _ =>
            {
                caller.Cancel(); // the caller gives up while the call fails: says nothing about the peer
                throw new IOException("aborted");
            }, caller.Token).AsTask());
        }

        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
    }

    [Fact]
    public async Task ExecuteAsync_OperationThrowsPollysRejection_PassesItThroughUnchanged()
    {
        var inner = new BrokenCircuitException("an inner breaker");

        var error = await Assert.ThrowsAsync<BrokenCircuitException>(() => _registry.ExecuteAsync<int>("peer-a", _ => throw inner).AsTask());

        Assert.Same(inner, error);
    }

    [Fact]
    public async Task ExecuteAsync_OneKeyOpen_OtherKeysStillCall()
    {
        await FailAsync("peer-a", 3);

        await FailAsync("peer-b", 2);
        Assert.Equal(42, await _registry.ExecuteAsync("peer-b", Answers));

        Assert.Equal(CircuitState.Open, _registry.GetState("peer-a"));
        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-b"));
        Assert.Equal(["peer-a"], _monitor.Of<CircuitBreakerEvent>().Select(e => e.PeerKey));
    }

    [Fact]
    public async Task IsolateAsync_ClosedBreaker_RejectsAsIsolatedUntilCloseAsync()
    {
        await _registry.IsolateAsync("peer-a");
        _time.Advance(TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<CircuitOpenException>(() => _registry.ExecuteAsync("peer-a", Answers).AsTask());
        Assert.Equal((CircuitState.Isolated, (DateTimeOffset?)null), (error.State, error.RetryAt));
        Assert.Contains("isolated", error.Message, StringComparison.Ordinal);
        Assert.Equal(CircuitState.Isolated, _registry.GetState("peer-a"));

        await _registry.CloseAsync("peer-a");

        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
        Assert.Equal(42, await _registry.ExecuteAsync("peer-a", Answers));
    }

    [Fact]
    public async Task CloseAsync_OpenBreaker_ClosesAndForgetsRecentFailures()
    {
        await FailAsync("peer-a", 3);

        await _registry.CloseAsync("peer-a");
        await FailAsync("peer-a", 2);

        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
    }

    [Fact]
    public async Task CloseAsync_UnknownKey_CreatesNothingAndReportsNothing()
    {
        await _registry.CloseAsync("peer-a");

        Assert.Equal(CircuitState.Closed, _registry.GetState("peer-a"));
        Assert.Equal(0, _registry.Count);
        Assert.Empty(_monitor.Events);
    }
}

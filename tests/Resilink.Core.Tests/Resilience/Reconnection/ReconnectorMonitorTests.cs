using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorMonitorTests
{
    private readonly TimerTrackingTimeProvider _time = new();
    private readonly RecordingConnectionMonitor _monitor = new();

    private Reconnector Create(int maxAttempts) =>
        new(new ReconnectOptions { JitterFactor = 0, MaxAttempts = maxAttempts }, _time, monitor: _monitor);

    [Fact]
    public async Task ReconnectAsync_SucceedsAtThirdAttempt_ReportsTwoFailuresThenASuccess()
    {
        var reconnector = Create(maxAttempts: 3);

        var run = reconnector.ReconnectAsync("peer-a", ScriptedDialer.SucceedingAt(3).ConnectAsync);
        foreach (int ms in new[] { 100, 200 })
        {
            await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(ms));
            _time.Advance(TimeSpan.FromMilliseconds(ms));
        }
        await run.WithTimeout();

        Assert.Equal(
            [new ReconnectEvent("peer-a", ReconnectOutcome.Failure, 1), new ReconnectEvent("peer-a", ReconnectOutcome.Failure, 2), new ReconnectEvent("peer-a", ReconnectOutcome.Success, 3)],
            _monitor.Of<ReconnectEvent>());
    }

    [Fact]
    public async Task ReconnectAsync_EveryAttemptRefused_ReportsEachFailureThenGaveUp()
    {
        var reconnector = Create(maxAttempts: 2);

        var run = reconnector.ReconnectAsync("peer-a", ScriptedDialer.AlwaysRefused().ConnectAsync);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<RetryExhaustedException>(() => run.WithTimeout());

        Assert.Equal(
            [ReconnectOutcome.Failure, ReconnectOutcome.Failure, ReconnectOutcome.GaveUp],
            _monitor.Of<ReconnectEvent>().Select(e => e.Outcome));
    }

    [Fact]
    public async Task ReconnectAsync_Cancelled_ReportsNoGiveUp()
    {
        var reconnector = Create(maxAttempts: 3);
        using var cts = new CancellationTokenSource();

        var run = reconnector.ReconnectAsync("peer-a", ScriptedDialer.AlwaysRefused().ConnectAsync, cts.Token);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WithTimeout());

        Assert.Equal([ReconnectOutcome.Failure], _monitor.Of<ReconnectEvent>().Select(e => e.Outcome));
    }
}

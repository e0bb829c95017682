using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorStatisticsTests
{
    private readonly TimerTrackingTimeProvider _time = new();

    private async Task<string> ReconnectAsync(Reconnector reconnector, ScriptedDialer dialer, params int[] delaysMs)
    {
        var run = reconnector.ReconnectAsync("c", dialer.ConnectAsync);
        foreach (int delayMs in delaysMs)
        {
            await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(delayMs));
            _time.Advance(TimeSpan.FromMilliseconds(delayMs));
        }
        return await run.WithTimeout();
    }

    [Fact]
    public void Statistics_New_AllZero()
    {
        Assert.Equal(default, new Reconnector(new ReconnectOptions(), _time).Statistics);
    }

    [Fact]
    public async Task Statistics_SuccessesGiveUpAndCancellation_CountedWithMeanAndMaxTimeToReconnect()
    {
        var reconnector = new Reconnector(new ReconnectOptions { JitterFactor = 0, MaxAttempts = 3 }, _time);

        await ReconnectAsync(reconnector, ScriptedDialer.SucceedingAt(3), 100, 200);
        await ReconnectAsync(reconnector, ScriptedDialer.SucceedingAt(2), 100);
        await Assert.ThrowsAsync<RetryExhaustedException>(() => ReconnectAsync(reconnector, ScriptedDialer.AlwaysRefused(), 100, 200));
        using var cts = new CancellationTokenSource();
        var cancelled = reconnector.ReconnectAsync("c", ScriptedDialer.AlwaysRefused().ConnectAsync, cts.Token);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout());

        var stats = reconnector.Statistics;
        Assert.Equal(9, stats.Attempts);       // 3 + 2 + 3 + 1
        Assert.Equal(7, stats.FailedAttempts); // 2 + 1 + 3 + 1
        Assert.Equal(2, stats.Successes);
        Assert.Equal(1, stats.GiveUps);
        Assert.Equal(1, stats.Cancellations);
        Assert.Equal(TimeSpan.FromMilliseconds(200), stats.MeanTimeToReconnect);
        Assert.Equal(TimeSpan.FromMilliseconds(300), stats.MaxTimeToReconnect);
    }

    [Fact]
    public async Task Statistics_ManyConcurrentReconnections_CountEveryAttempt()
    {
        const int Reconnections = 200;
        var reconnector = new Reconnector(
            new ReconnectOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, JitterFactor = 0 }, _time);

        var runs = Enumerable.Range(0, Reconnections).Select(i => Task.Run(
            () => reconnector.ReconnectAsync($"c{i}", ScriptedDialer.SucceedingAt(2).ConnectAsync)));
        await Task.WhenAll(runs).WithTimeout();

        var stats = reconnector.Statistics;
        Assert.Equal((2L * Reconnections, (long)Reconnections, (long)Reconnections), (stats.Attempts, stats.FailedAttempts, stats.Successes));
    }
}

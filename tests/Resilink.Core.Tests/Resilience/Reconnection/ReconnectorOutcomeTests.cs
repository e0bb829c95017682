using Polly.Timeout;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorOutcomeTests
{
    private readonly TimerTrackingTimeProvider _time = new();

    private Reconnector Create(ReconnectOptions? options = null) =>
        new(options ?? new ReconnectOptions { JitterFactor = 0 }, _time, () => 0.5);

    [Fact]
    public async Task ReconnectAsync_EveryAttemptFails_GivesUpAfterMaxAttemptsWithGaveUpEvent()
    {
        var reconnector = Create(new ReconnectOptions { JitterFactor = 0, MaxAttempts = 3 });
        var gaveUp = new List<ReconnectEventArgs>();
        reconnector.GaveUp += (_, e) => gaveUp.Add(e);
        var dialer = ScriptedDialer.AlwaysRefused();
        var run = reconnector.ReconnectAsync("peer-1", dialer.ConnectAsync);

        foreach (int delayMs in new[] { 100, 200 })
        {
            await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(delayMs));
            _time.Advance(TimeSpan.FromMilliseconds(delayMs));
        }

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(() => run.WithTimeout());
        Assert.Equal([1, 2, 3], error.Attempts.Select(a => a.Number));
        Assert.Equal([0, 100, 200], error.Attempts.Select(a => a.DelayBefore.TotalMilliseconds));
        var e = Assert.Single(gaveUp);
        Assert.Equal(("peer-1", 3), (e.Key, e.Attempt));
        Assert.Equal(TimeSpan.FromMilliseconds(200), e.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(300), e.Elapsed);
        Assert.Same(error, e.Exception);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, dialer.Count);
        Assert.Empty(_time.ArmedDueIn());
    }

    [Fact]
    public async Task ReconnectAsync_MaxAttemptsOne_OneAttemptThenExhausted()
    {
        var dialer = ScriptedDialer.AlwaysRefused();

        var error = await Assert.ThrowsAsync<RetryExhaustedException>(
            () => Create(new ReconnectOptions { MaxAttempts = 1 }).ReconnectAsync("c", dialer.ConnectAsync).WithTimeout());

        Assert.Single(error.Attempts);
        Assert.Equal(1, dialer.Count);
    }

    [Fact]
    public async Task ReconnectAsync_ConnectHangs_TimesOutAfterConnectionTimeoutAndRetries()
    {
        var reconnector = Create();
        var failures = new List<(int Attempt, Exception Error)>();
        using var _ = reconnector.RegisterFailureCallback((_, error, attempt) => failures.Add((attempt, error)));
        var dialer = new ScriptedDialer(async (call, token) =>
        {
            if (call == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            return "connected";
        });
        var run = reconnector.ReconnectAsync("c", dialer.ConnectAsync);

        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Empty(failures);
        _time.Advance(TimeSpan.FromTicks(1));
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal("connected", await run.WithTimeout());
        var (attempt, timeout) = Assert.Single(failures);
        Assert.Equal(1, attempt);
        Assert.IsType<TimeoutRejectedException>(timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(30_100), reconnector.Statistics.MaxTimeToReconnect);
    }

    [Fact]
    public async Task ReconnectAsync_PermanentError_StopsAtOnceAndThrowsItAsIs()
    {
        var reconnector = Create();
        var gaveUp = new List<ReconnectEventArgs>();
        reconnector.GaveUp += (_, e) => gaveUp.Add(e);
        var permanent = new PermanentDialError("peer id mismatch");
        var dialer = new ScriptedDialer((call, _) =>
            call == 1 ? Task.FromException<string>(ScriptedDialer.Refused()) : Task.FromException<string>(permanent));
        var run = reconnector.ReconnectAsync("c", dialer.ConnectAsync);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Same(permanent, await Assert.ThrowsAsync<PermanentDialError>(() => run.WithTimeout()));
        Assert.Equal(2, dialer.Count);
        Assert.Empty(_time.ArmedDueIn());
        var e = Assert.Single(gaveUp);
        Assert.Equal(2, e.Attempt);
        Assert.Same(permanent, e.Exception);
    }

    [Fact]
    public async Task ReconnectAsync_UnexpectedError_NotRetried()
    {
        var reconnector = Create();
        var dialer = new ScriptedDialer((_, _) => Task.FromException<string>(new InvalidOperationException("bad address")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => reconnector.ReconnectAsync("c", dialer.ConnectAsync).WithTimeout());

        Assert.Equal(1, dialer.Count);
        Assert.Equal(1, reconnector.Statistics.GiveUps);
    }

    [Fact]
    public async Task ReconnectAsync_CallerCancelsDuringDelay_ThrowsCancelledWithoutGivingUp()
    {
        var reconnector = Create();
        int gaveUp = 0;
        reconnector.GaveUp += (_, _) => gaveUp++;
        using var cts = new CancellationTokenSource();
        var dialer = ScriptedDialer.AlwaysRefused();
        var run = reconnector.ReconnectAsync("c", dialer.ConnectAsync, cts.Token);
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WithTimeout());
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, dialer.Count);
        Assert.Equal(0, gaveUp);
        Assert.Equal((1L, 0L), (reconnector.Statistics.Cancellations, reconnector.Statistics.GiveUps));
    }

    [Fact]
    public async Task ReconnectAsync_Succeeds_RaisesSucceededWithAttemptDelayAndElapsed()
    {
        var reconnector = Create();
        var succeeded = new List<ReconnectEventArgs>();
        reconnector.Succeeded += (_, e) => succeeded.Add(e);
        reconnector.AttemptStarted += (_, _) => throw new InvalidOperationException("a broken handler");
        var run = reconnector.ReconnectAsync("endpoint-b", ScriptedDialer.SucceedingAt(3).ConnectAsync);

        foreach (int delayMs in new[] { 100, 200 })
        {
            await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(delayMs));
            _time.Advance(TimeSpan.FromMilliseconds(delayMs));
        }

        Assert.Equal("conn-3", await run.WithTimeout());
        var e = Assert.Single(succeeded);
        Assert.Equal(("endpoint-b", 3), (e.Key, e.Attempt));
        Assert.Equal(TimeSpan.FromMilliseconds(200), e.Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(300), e.Elapsed);
        Assert.Null(e.Exception);
    }
}

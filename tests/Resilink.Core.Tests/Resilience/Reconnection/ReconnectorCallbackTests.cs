using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorCallbackTests
{
    private readonly TimerTrackingTimeProvider _time = new();

    private async Task<Exception> GiveUpAfterThreeAsync(Reconnector reconnector, string key, ScriptedDialer dialer)
    {
        var run = reconnector.ReconnectAsync(key, dialer.ConnectAsync);
        foreach (int delayMs in new[] { 100, 200 })
        {
            await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(delayMs));
            _time.Advance(TimeSpan.FromMilliseconds(delayMs));
        }
        return await Assert.ThrowsAsync<RetryExhaustedException>(() => run.WithTimeout());
    }

    private Reconnector Create() => new(new ReconnectOptions { JitterFactor = 0, MaxAttempts = 3 }, _time);

    [Fact]
    public async Task RegisterFailureCallback_EveryFailedAttempt_CalledWithKeyExceptionAndAttemptNumber()
    {
        var reconnector = Create();
        var calls = new List<(string Key, Exception Error, int Attempt)>();
        using var registration = reconnector.RegisterFailureCallback((key, error, attempt) => calls.Add((key, error, attempt)));

        var error = (RetryExhaustedException)await GiveUpAfterThreeAsync(reconnector, "conn-7", ScriptedDialer.AlwaysRefused());

        Assert.Equal([1, 2, 3], calls.Select(c => c.Attempt));
        Assert.All(calls, c => Assert.Equal("conn-7", c.Key));
        Assert.Equal(error.Attempts.Select(a => a.Exception), calls.Select(c => c.Error));
    }

    [Fact]
    public async Task RegisterFailureCallback_Disposed_NoLongerCalledWhileOthersAre()
    {
        var reconnector = Create();
        var first = new List<int>();
        var second = new List<int>();
        var registration = reconnector.RegisterFailureCallback((_, _, attempt) => first.Add(attempt));
        using var other = reconnector.RegisterFailureCallback((_, _, attempt) => second.Add(attempt));

        registration.Dispose();
        registration.Dispose();
        await GiveUpAfterThreeAsync(reconnector, "c", ScriptedDialer.AlwaysRefused());

        Assert.Empty(first);
        Assert.Equal([1, 2, 3], second);
    }

    [Fact]
    public async Task RegisterFailureCallback_OneThrows_OthersStillCalledAndReconnectionGoesOn()
    {
        var reconnector = Create();
        var seen = new List<int>();
        using var broken = reconnector.RegisterFailureCallback((_, _, _) => throw new InvalidOperationException("broken"));
        using var working = reconnector.RegisterFailureCallback((_, _, attempt) => seen.Add(attempt));
        var run = reconnector.ReconnectAsync("c", ScriptedDialer.SucceedingAt(2).ConnectAsync);

        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal("conn-2", await run.WithTimeout());
        Assert.Equal([1], seen);
    }

    [Fact]
    public async Task RegisterFailureCallback_Success_NotCalled()
    {
        var reconnector = Create();
        int calls = 0;
        using var registration = reconnector.RegisterFailureCallback((_, _, _) => calls++);

        Assert.Equal("conn-1", await reconnector.ReconnectAsync("c", ScriptedDialer.SucceedingAt(1).ConnectAsync));

        Assert.Equal(0, calls);
    }
}

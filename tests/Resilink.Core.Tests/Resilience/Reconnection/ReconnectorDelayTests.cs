using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectorDelayTests
{
    private readonly TimerTrackingTimeProvider _time = new();

    private Reconnector Create(ReconnectOptions options, Func<double>? random = null) => new(options, _time, random ?? (() => 0.5));

    /// <summary>Runs a reconnection whose attempts fail until the last, advancing the clock by each expected delay once it is armed.</summary>
    private async Task<List<ReconnectEventArgs>> RunAsync(Reconnector reconnector, double[] expectedDelaysMs)
    {
        var started = new List<ReconnectEventArgs>();
        reconnector.AttemptStarted += (_, e) => started.Add(e);
        var dialer = ScriptedDialer.SucceedingAt(expectedDelaysMs.Length + 1);
        var run = reconnector.ReconnectAsync("conn-a", dialer.ConnectAsync);

        foreach (double delayMs in expectedDelaysMs)
        {
            var delay = TimeSpan.FromMilliseconds(delayMs);
            await _time.WaitForTimerAsync(delay);
            _time.Advance(delay);
        }

        Assert.Equal($"conn-{expectedDelaysMs.Length + 1}", await run.WithTimeout());
        return started;
    }

    [Theory]
    [InlineData(BackoffKind.Exponential, new double[] { 100, 200, 400, 800, 1_600 })]
    [InlineData(BackoffKind.Fixed, new double[] { 100, 100, 100, 100, 100 })]
    [InlineData(BackoffKind.Linear, new double[] { 100, 200, 300, 400, 500 })]
    [InlineData(BackoffKind.Custom, new double[] { 10, 40, 90, 160, 250 })]
    public async Task ReconnectAsync_EachStrategyWithoutJitter_WaitsExactDelays(BackoffKind kind, double[] expectedMs)
    {
        var options = new ReconnectOptions
        {
            Backoff = kind,
            JitterFactor = 0,
            CustomDelay = n => TimeSpan.FromMilliseconds(10 * (n + 1) * (n + 1)),
        };

        var started = await RunAsync(Create(options), expectedMs);

        Assert.Equal(expectedMs.Prepend(0), started.Select(e => e.Delay.TotalMilliseconds));
        Assert.Equal([1, 2, 3, 4, 5, 6], started.Select(e => e.Attempt));
    }

    [Fact]
    public async Task ReconnectAsync_DelaysGrowPastMaxDelay_AreCapped()
    {
        var options = new ReconnectOptions { JitterFactor = 0, MaxDelay = TimeSpan.FromMilliseconds(350) };

        var started = await RunAsync(Create(options), [100, 200, 350, 350]);

        Assert.Equal(TimeSpan.FromMilliseconds(350), started[^1].Delay);
    }

    [Theory]
    [InlineData(0.0, new double[] { 90, 180, 360, 450 })] // 800 capped to MaxDelay 500 ms first, then jittered
    [InlineData(1.0, new double[] { 110, 220, 440, 500 })] // 880 jittered, clamped to MaxDelay 500 ms
    public async Task ReconnectAsync_RandomAtExtremes_MovesEachDelayByJitterFactor(double random, double[] expectedMs)
    {
        var options = new ReconnectOptions { MaxDelay = TimeSpan.FromMilliseconds(500) };

        await RunAsync(Create(options, () => random), expectedMs);
    }

    [Fact]
    public async Task ReconnectAsync_RandomJitter_EveryDelayWithinTenPercentOfDefaultCurve()
    {
        var seeded = new Random(7);
        var reconnector = Create(new ReconnectOptions(), seeded.NextDouble);
        var dialer = ScriptedDialer.AlwaysRefused();
        var run = reconnector.ReconnectAsync("conn-a", dialer.ConnectAsync);
        var ratios = new HashSet<double>();

        for (int n = 0; n < 9; n++)
        {
            var delay = await _time.WaitForSingleTimerAsync(ignoring: new ReconnectOptions().ConnectionTimeout);
            double baseMs = Math.Min(100 * Math.Pow(2, n), 60_000);
            Assert.InRange(delay.TotalMilliseconds, baseMs * 0.9, Math.Min(baseMs * 1.1, 60_000));
            ratios.Add(delay.TotalMilliseconds / baseMs);
            _time.Advance(delay);
        }

        await Assert.ThrowsAsync<RetryExhaustedException>(() => run.WithTimeout());
        Assert.True(ratios.Count > 1, "jitter must vary the delays");
    }
}

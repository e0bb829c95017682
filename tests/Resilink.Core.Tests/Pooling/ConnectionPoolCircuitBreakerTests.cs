using Resilink.Monitoring;
using Resilink.Pooling;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Pooling;

/// <summary>With <see cref="ConnectionPoolOptions.CircuitBreaker"/> on, an endpoint whose opens keep failing is left alone until its break ends.</summary>
public sealed class ConnectionPoolCircuitBreakerTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task OpensKeepFailing_BreakerOpensAndTheFactoryIsNotCalledUntilTheBreakEnds()
    {
        var options = PoolHarness.Options(min: 1, max: 2); // 3 attempts per open: 0, +100 ms, +200 ms
        options.CircuitBreaker = new CircuitBreakerOptions
        {
            Enabled = true, FailureRatio = 0.5, MinimumThroughput = 3, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = BreakDuration,
        };
        await using var h = new PoolHarness(options);
        h.Primary.CreateFailure = _ => new IOException("connection refused");

        var start = h.Pool.StartAsync();
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(100));
        await h.AdvancePastTimerAsync(TimeSpan.FromMilliseconds(200));
        await start.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((3, CircuitState.Open), (h.Primary.CreateCalls, h.Pool.GetCircuitState(h.Primary.Endpoint)));

        // Refills during the break fail at once: the factory is not called.
        await h.SampleAsync(samples: 3);
        Assert.Equal(3, h.Primary.CreateCalls);
        Assert.Equal(0, h.Stats.Size);

        // The server is back; after the break the next open is the trial, which closes the breaker. Which sample's refill
        // makes it depends on where the refill of the break's last rejected attempt stands in its backoff (a timer armed
        // late on a loaded machine is due after the clock has moved), so the clock moves on until it has happened.
        h.Primary.CreateFailure = _ => null;
        await h.SampleAsync(samples: 3);
        for (int sample = 0; sample < 20 && !await h.WithinAsync(s => s.Size == 1, TimeSpan.FromMilliseconds(500)); sample++)
        {
            await h.SampleAsync();
        }
        await h.UntilStatsAsync(s => s.Size == 1);
        using var lease = await h.Pool.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, h.Primary.CreateCalls);
        Assert.Equal(CircuitState.Closed, h.Pool.GetCircuitState(h.Primary.Endpoint));
        Assert.Equal(
            [(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)],
            h.Monitor.Of<CircuitBreakerEvent>().Where(e => e.PeerKey == h.Primary.Endpoint).Select(e => (e.From, e.To)).Take(3));
    }

    [Fact]
    public async Task BreakerOff_NoRegistryAndStateAlwaysClosed()
    {
        await using var h = new PoolHarness(PoolHarness.Options());

        Assert.Null(h.Pool.CircuitBreakers);
        Assert.Equal(CircuitState.Closed, h.Pool.GetCircuitState(h.Primary.Endpoint));
    }

    [Fact]
    public void Validate_BadBreakerSetting_NamedWithItsPrefix()
    {
        var options = PoolHarness.Options();
        options.CircuitBreaker = new CircuitBreakerOptions { Enabled = true, FailureRatio = 2 };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(options.Validate);

        Assert.Contains(error.Failures, f => f.StartsWith("CircuitBreaker.FailureRatio", StringComparison.Ordinal));
    }
}

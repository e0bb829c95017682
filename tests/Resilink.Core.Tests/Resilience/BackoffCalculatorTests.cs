using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience;

public sealed class BackoffCalculatorTests
{
    private static readonly Func<double> NoJitter = () => 0.5;

    // The seed's table for the defaults (100 ms, x2, cap 30 s, ± 10 %), retry n = 0, 1, 2 ...
    private static readonly double[] SeedTableMs =
        [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000];

    [Fact]
    public void GetDelay_ExponentialDefaults_FollowSeedTableWithinJitter()
    {
        var random = new Random(1234);
        var calculator = new BackoffCalculator(new RetryOptions(), random.NextDouble);

        for (int round = 0; round < 200; round++)
        {
            for (int n = 0; n < SeedTableMs.Length; n++)
            {
                double delayMs = calculator.GetDelay(n).TotalMilliseconds;
                double expected = SeedTableMs[n];
                Assert.InRange(delayMs, expected * 0.9, Math.Min(expected * 1.1, 30_000));
            }
        }
    }

    [Fact]
    public void GetDelay_ExponentialWithMidpointRandom_IsExactSequence()
    {
        var calculator = new BackoffCalculator(new RetryOptions(), NoJitter);

        var delays = Enumerable.Range(0, SeedTableMs.Length).Select(n => calculator.GetDelay(n).TotalMilliseconds);

        Assert.Equal(SeedTableMs, delays);
    }

    [Theory]
    [InlineData(0.0, 0, 90)]
    [InlineData(1.0, 0, 110)]
    [InlineData(0.0, 3, 720)]
    [InlineData(1.0, 3, 880)]
    [InlineData(0.0, 10, 27_000)]
    [InlineData(1.0, 10, 30_000)] // 33 s jittered, clamped to MaxDelay
    public void GetDelay_RandomAtExtremes_MovesByJitterFactorAndNeverExceedsMaxDelay(double random, int attempt, double expectedMs)
    {
        var calculator = new BackoffCalculator(new RetryOptions(), () => random);

        Assert.Equal(expectedMs, calculator.GetDelay(attempt).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void GetDelay_FullJitterFactor_NeverNegative()
    {
        var calculator = new BackoffCalculator(new RetryOptions { JitterFactor = 1.0 }, () => 0.0);

        Assert.Equal(TimeSpan.Zero, calculator.GetDelay(0));
        Assert.Equal(TimeSpan.Zero, calculator.GetDelay(5));
    }

    [Fact]
    public void GetDelay_Fixed_IsInitialDelayEveryTime()
    {
        var calculator = new BackoffCalculator(
            new RetryOptions { Backoff = BackoffKind.Fixed, InitialDelay = TimeSpan.FromMilliseconds(250) }, NoJitter);

        Assert.All(Enumerable.Range(0, 20), n => Assert.Equal(TimeSpan.FromMilliseconds(250), calculator.GetDelay(n)));
    }

    [Fact]
    public void GetDelay_Linear_GrowsByInitialDelayUntilCapped()
    {
        var calculator = new BackoffCalculator(
            new RetryOptions { Backoff = BackoffKind.Linear, MaxDelay = TimeSpan.FromMilliseconds(350) }, NoJitter);

        var delays = Enumerable.Range(0, 5).Select(n => calculator.GetDelay(n).TotalMilliseconds);

        Assert.Equal([100, 200, 300, 350, 350], delays);
    }

    [Fact]
    public void GetDelay_Custom_UsesDelegateCappedAndClampedAtZero()
    {
        var options = new RetryOptions
        {
            Backoff = BackoffKind.Custom,
            JitterFactor = 0,
            MaxDelay = TimeSpan.FromSeconds(1),
            CustomDelay = n => n switch
            {
                0 => TimeSpan.FromMilliseconds(-5),
                1 => TimeSpan.FromMilliseconds(42),
                _ => TimeSpan.FromMinutes(n),
            },
        };
        var calculator = new BackoffCalculator(options);

        Assert.Equal(TimeSpan.Zero, calculator.GetDelay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(42), calculator.GetDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(1), calculator.GetDelay(2));
    }

    [Fact]
    public void GetDelay_CustomWithJitter_IsJitteredToo()
    {
        var options = new RetryOptions { Backoff = BackoffKind.Custom, CustomDelay = _ => TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.FromMilliseconds(1_100), new BackoffCalculator(options, () => 1.0).GetDelay(0));
    }

    [Fact]
    public void GetDelay_HugeAttempt_IsMaxDelayWithoutOverflow()
    {
        var calculator = new BackoffCalculator(new RetryOptions { BackoffMultiplier = 10 }, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(30), calculator.GetDelay(int.MaxValue));
        Assert.Equal(TimeSpan.FromSeconds(30), calculator.GetBaseDelay(int.MaxValue));
    }

    [Fact]
    public void GetDelay_NegativeAttempt_Throws()
    {
        var calculator = new BackoffCalculator(new RetryOptions());

        Assert.Throws<ArgumentOutOfRangeException>(() => calculator.GetDelay(-1));
    }

    [Fact]
    public void Constructor_OptionsChangedLater_KeepsSnapshot()
    {
        var options = new RetryOptions();
        var calculator = new BackoffCalculator(options, NoJitter);

        options.InitialDelay = TimeSpan.FromSeconds(5);

        Assert.Equal(TimeSpan.FromMilliseconds(100), calculator.GetDelay(0));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new BackoffCalculator(new RetryOptions { JitterFactor = 2 }));
    }
}

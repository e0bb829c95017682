using Microsoft.Extensions.Options;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience;

public sealed class RetryOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new RetryOptions();

        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.Equal(2.0, options.BackoffMultiplier);
        Assert.Equal(0.1, options.JitterFactor);
        Assert.Equal(BackoffKind.Exponential, options.Backoff);
        Assert.Null(options.CustomDelay);
    }

    [Fact]
    public void Validate_Defaults_DoesNotThrow()
    {
        new RetryOptions().Validate();
        new RetryOptions { MaxRetries = 0, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, JitterFactor = 0 }.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new RetryOptions
        {
            MaxRetries = -1,
            InitialDelay = TimeSpan.FromMilliseconds(-1),
            MaxDelay = TimeSpan.FromDays(2),
            BackoffMultiplier = 0.5,
            JitterFactor = 1.5,
            Backoff = (BackoffKind)42,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(6, error.Failures.Count());
        foreach (var name in new[] { "MaxRetries", "InitialDelay", "MaxDelay", "BackoffMultiplier", "JitterFactor", "Backoff" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(typeof(RetryOptions), error.OptionsType);
    }

    [Fact]
    public void Validate_CustomWithoutDelegate_NamesCustomDelay()
    {
        var error = Assert.Throws<OptionsValidationException>(new RetryOptions { Backoff = BackoffKind.Custom }.Validate);

        Assert.StartsWith("CustomDelay ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxDelayBelowInitialDelay_NamesMaxDelay()
    {
        var options = new RetryOptions { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.StartsWith("MaxDelay ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 0.1)]
    [InlineData(double.PositiveInfinity, 0.1)]
    [InlineData(2.0, double.NaN)]
    [InlineData(2.0, -0.01)]
    public void Validate_NonFiniteOrOutOfRangeNumbers_Throws(double multiplier, double jitter)
    {
        var options = new RetryOptions { BackoffMultiplier = multiplier, JitterFactor = jitter };

        Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures);
    }
}

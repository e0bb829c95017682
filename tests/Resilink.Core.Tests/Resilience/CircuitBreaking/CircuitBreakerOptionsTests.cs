using Microsoft.Extensions.Options;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.CircuitBreaking;

public sealed class CircuitBreakerOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new CircuitBreakerOptions();

        Assert.False(options.Enabled);
        Assert.Equal(0.5, options.FailureRatio);
        Assert.Equal(3, options.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BreakDuration);
        Assert.Equal(1024, options.MaxBreakers);
    }

    [Fact]
    public void Validate_DefaultsAndPollyBounds_DoNotThrow()
    {
        new CircuitBreakerOptions().Validate();
        new CircuitBreakerOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = 2,
            SamplingDuration = TimeSpan.FromMilliseconds(500),
            BreakDuration = TimeSpan.FromDays(1),
            MaxBreakers = 1,
        }.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new CircuitBreakerOptions
        {
            FailureRatio = 0,
            MinimumThroughput = 1,
            SamplingDuration = TimeSpan.FromMilliseconds(499),
            BreakDuration = TimeSpan.FromDays(2),
            MaxBreakers = 0,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(5, error.Failures.Count());
        foreach (var name in new[] { "FailureRatio", "MinimumThroughput", "SamplingDuration", "BreakDuration", "MaxBreakers" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
        Assert.Equal(typeof(CircuitBreakerOptions), error.OptionsType);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    public void Validate_FailureRatioOutOfRange_Throws(double ratio)
    {
        var error = Assert.Throws<OptionsValidationException>(new CircuitBreakerOptions { FailureRatio = ratio }.Validate);

        Assert.Contains("FailureRatio", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_InvalidOptions_ThrowsBeforeAnyBreakerExists()
    {
        Assert.Throws<OptionsValidationException>(() => new CircuitBreakerRegistry(new CircuitBreakerOptions { MinimumThroughput = 0 }));
    }
}

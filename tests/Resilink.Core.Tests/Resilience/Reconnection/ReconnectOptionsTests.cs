using Microsoft.Extensions.Options;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Reconnection;

public sealed class ReconnectOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchSeed()
    {
        var options = new ReconnectOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(100), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxDelay);
        Assert.Equal(2.0, options.BackoffMultiplier);
        Assert.Equal(10, options.MaxAttempts);
        Assert.Equal(0.1, options.JitterFactor);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConnectionTimeout);
        Assert.Equal(BackoffKind.Exponential, options.Backoff);
        Assert.Null(options.CustomDelay);
    }

    [Fact]
    public void Validate_DefaultsAndEdges_DoNotThrow()
    {
        new ReconnectOptions().Validate();
        new ReconnectOptions
        {
            MaxAttempts = 1,
            InitialDelay = TimeSpan.Zero,
            MaxDelay = TimeSpan.Zero,
            JitterFactor = 0,
            ConnectionTimeout = TimeSpan.FromMilliseconds(10),
        }.Validate();
        new ReconnectOptions { MaxAttempts = int.MaxValue, ConnectionTimeout = TimeSpan.FromDays(1) }.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new ReconnectOptions
        {
            MaxAttempts = 0,
            InitialDelay = TimeSpan.FromMilliseconds(-1),
            MaxDelay = TimeSpan.FromDays(2),
            BackoffMultiplier = 0.5,
            JitterFactor = 1.5,
            Backoff = (BackoffKind)42,
            ConnectionTimeout = TimeSpan.FromMilliseconds(9),
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        string[] names = ["MaxAttempts", "InitialDelay", "MaxDelay", "BackoffMultiplier", "JitterFactor", "Backoff", "ConnectionTimeout"];
        Assert.Equal(names.Length, error.Failures.Count());
        foreach (var name in names)
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
        Assert.Equal(typeof(ReconnectOptions), error.OptionsType);
    }

    [Fact]
    public void Validate_CustomWithoutDelegate_NamesCustomDelay()
    {
        var error = Assert.Throws<OptionsValidationException>(new ReconnectOptions { Backoff = BackoffKind.Custom }.Validate);

        Assert.StartsWith("CustomDelay ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionTimeoutOverOneDay_NamesConnectionTimeout()
    {
        var options = new ReconnectOptions { ConnectionTimeout = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1) };

        Assert.StartsWith("ConnectionTimeout ", Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void BackoffCalculator_FromReconnectOptions_UsesItsCapAndCurve()
    {
        var calculator = new BackoffCalculator(new ReconnectOptions(), () => 0.5);

        var delays = Enumerable.Range(0, 12).Select(n => calculator.GetDelay(n).TotalSeconds);

        Assert.Equal([0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 60, 60], delays);
    }

    [Fact]
    public void BackoffCalculator_InvalidReconnectOptions_Throws()
    {
        Assert.Throws<OptionsValidationException>(() => new BackoffCalculator(new ReconnectOptions { MaxAttempts = 0 }));
    }
}

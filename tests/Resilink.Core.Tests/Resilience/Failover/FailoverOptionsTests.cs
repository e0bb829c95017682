using Microsoft.Extensions.Options;
using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new FailoverOptions();

        Assert.Equal(3, options.FailureThreshold);
        Assert.Equal(0.3, options.HealthThreshold);
        Assert.Equal(new HealthOptions().MinHealthThreshold, options.HealthThreshold);
        Assert.True(options.AutomaticFailback);
        Assert.Equal(TimeSpan.FromSeconds(60), options.FailbackDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SwitchTimeout);
    }

    [Fact]
    public void Validate_DefaultsAndEdges_DoNotThrow()
    {
        new FailoverOptions().Validate();
        new FailoverOptions { FailureThreshold = 1, HealthThreshold = 0, FailbackDelay = TimeSpan.Zero, SwitchTimeout = TimeSpan.FromTicks(1) }.Validate();
        new FailoverOptions { FailureThreshold = 1000, HealthThreshold = 1, FailbackDelay = TimeSpan.FromDays(1), SwitchTimeout = TimeSpan.FromDays(1) }.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new FailoverOptions
        {
            FailureThreshold = 0,
            HealthThreshold = double.NaN,
            FailbackDelay = TimeSpan.FromSeconds(-1),
            SwitchTimeout = TimeSpan.Zero,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        string[] names = ["FailureThreshold", "HealthThreshold", "FailbackDelay", "SwitchTimeout"];
        Assert.Equal(names.Length, error.Failures.Count());
        foreach (var name in names)
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
        Assert.Equal(typeof(FailoverOptions), error.OptionsType);
    }

    [Theory]
    [InlineData(1001, 0.3, 1.0)]
    [InlineData(3, 1.01, 1.0)]
    [InlineData(3, -0.1, 1.0)]
    [InlineData(3, 0.3, 2.0)] // FailbackDelay of 2 days
    public void Validate_OutOfRange_ReportsOneError(int threshold, double health, double failbackDays)
    {
        var options = new FailoverOptions { FailureThreshold = threshold, HealthThreshold = health, FailbackDelay = TimeSpan.FromDays(failbackDays) };

        Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures);
    }
}

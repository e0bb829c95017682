using Microsoft.Extensions.Options;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public sealed class HealthOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchTheDocumentedValues()
    {
        var options = new HealthOptions();

        Assert.False(options.EnableHealthMonitoring);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HealthCheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PingTimeout);
        Assert.Equal(0.3, options.MinHealthThreshold);
        Assert.Equal((0.4, 0.4, 0.2), (options.LatencyWeight, options.SuccessRateWeight, options.StabilityWeight));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), options.MaxPingLatency);
        Assert.Equal(0.7, options.MinPingSuccessRate);
        Assert.Equal(5, options.MaxFailedStreams);
        Assert.Equal(TimeSpan.FromSeconds(60), options.BandwidthWindow);
        Assert.Equal(8.0, options.PhiThreshold);
        options.Validate();
    }

    [Fact]
    public void Validate_EverySettingBad_NamesEachOneInOneException()
    {
        var options = new HealthOptions
        {
            HealthCheckInterval = TimeSpan.Zero,
            PingTimeout = TimeSpan.FromSeconds(-1),
            MinHealthThreshold = 1.5,
            LatencyWeight = -0.1,
            MaxFailedStreams = 0,
            FailureThreshold = 0,
            BandwidthWindow = TimeSpan.FromMilliseconds(10),
            PhiThreshold = double.NaN,
            DrainTimeout = TimeSpan.FromSeconds(-1),
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        foreach (var name in new[]
        {
            "HealthCheckInterval", "PingTimeout", "MinHealthThreshold", "LatencyWeight", "MaxFailedStreams",
            "FailureThreshold", "BandwidthWindow", "PhiThreshold", "DrainTimeout",
        })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_HealthyBelowMinimumThreshold_NamesBoth()
    {
        var options = new HealthOptions { MinHealthThreshold = 0.6, HealthyThreshold = 0.5 };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures);

        Assert.StartsWith("HealthyThreshold (0.5) must not be below MinHealthThreshold (0.6)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllWeightsZero_Rejected()
    {
        var options = new HealthOptions { LatencyWeight = 0, SuccessRateWeight = 0, StabilityWeight = 0 };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures);

        Assert.Contains("must not all be 0", failure, StringComparison.Ordinal);
    }
}

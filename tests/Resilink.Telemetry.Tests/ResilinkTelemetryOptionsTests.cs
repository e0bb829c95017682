using Microsoft.Extensions.Options;

namespace Resilink.Telemetry.Tests;

public sealed class ResilinkTelemetryOptionsTests
{
    [Fact]
    public void Constructor_Always_HasDocumentedDefaults()
    {
        var options = new ResilinkTelemetryOptions();

        Assert.Equal(100, options.MaxTagValues);
        Assert.False(options.PerPeerMetrics);
        Assert.Equal(100, options.MaxPeers);
        Assert.Equal(100_000, options.MaxTrackedConnections);
        Assert.Equal(10_000, options.MaxTrackedCircuitBreakers);
        options.Validate();
    }

    [Fact]
    public void Validate_EveryBoundBelowOne_ListsEachOne()
    {
        var options = new ResilinkTelemetryOptions
        {
            MaxTagValues = 0,
            MaxPeers = -1,
            MaxTrackedConnections = 0,
            MaxTrackedCircuitBreakers = 0,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains(nameof(ResilinkTelemetryOptions.MaxTagValues), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(ResilinkTelemetryOptions.MaxPeers), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(ResilinkTelemetryOptions.MaxTrackedConnections), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(ResilinkTelemetryOptions.MaxTrackedCircuitBreakers), StringComparison.Ordinal));
    }
}

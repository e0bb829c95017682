using Microsoft.Extensions.Options;
using Resilink.Alerting;
using Resilink.Monitoring;

namespace Resilink.Alerting.Tests.Monitoring;

public sealed class ServiceHealthOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new ServiceHealthOptions();

        Assert.Equal(TimeSpan.FromSeconds(15), options.CheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.CheckTimeout);
        Assert.Equal(TimeSpan.FromHours(24), options.MetricsRetention);
        Assert.Equal(5760, options.MaxHistoryPerService);
        Assert.Equal(0.1, options.ErrorThreshold);
        Assert.Equal(20, options.ErrorRateWindow);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ResponseTimeThreshold);
        Assert.Equal(80.0, options.CpuPercentThreshold);
        Assert.Equal(2L << 30, options.MemoryBytesThreshold);
        Assert.Equal(10_000, options.ConnectionCountThreshold);
        options.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new ServiceHealthOptions
        {
            CheckInterval = TimeSpan.Zero,
            CheckTimeout = TimeSpan.FromSeconds(-1),
            MetricsRetention = TimeSpan.Zero,
            MaxHistoryPerService = 0,
            ErrorThreshold = 1.5,
            ErrorRateWindow = 0,
            ResponseTimeThreshold = TimeSpan.Zero,
            CpuPercentThreshold = double.NaN,
            MemoryBytesThreshold = 0,
            ConnectionCountThreshold = 0,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(10, error.Failures.Count());
        foreach (var name in new[]
        {
            "CheckInterval", "CheckTimeout", "MetricsRetention", "MaxHistoryPerService", "ErrorThreshold", "ErrorRateWindow",
            "ResponseTimeThreshold", "CpuPercentThreshold", "MemoryBytesThreshold", "ConnectionCountThreshold",
        })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Constructor_BadOptions_ThrowsBeforeMonitoring()
    {
        await using var alerts = new AlertManager();

        Assert.Throws<OptionsValidationException>(() => new ServiceHealthMonitor(alerts, new ServiceHealthOptions { CheckInterval = TimeSpan.Zero }));
    }
}

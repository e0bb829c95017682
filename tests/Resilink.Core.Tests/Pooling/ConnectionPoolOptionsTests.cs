using Microsoft.Extensions.Options;
using Resilink.Balancing;
using Resilink.Pooling;

namespace Resilink.Core.Tests.Pooling;

public sealed class ConnectionPoolOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new ConnectionPoolOptions();

        Assert.Equal((1, 10, 1), (options.MinSize, options.MaxSize, options.MaxLeasesPerConnection));
        Assert.Equal(TimeSpan.FromSeconds(30), options.AcquireTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConnectionTimeout);
        Assert.Equal(LoadBalancingStrategyKind.LeastLoaded, options.LoadBalancingStrategy);
        Assert.True(options.Health.EnableHealthMonitoring);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Health.HealthCheckInterval);
        Assert.True(options.Sizing.Enabled);
        Assert.Equal((TimeSpan.FromSeconds(1), 0.8, TimeSpan.FromMinutes(5)), (options.Sizing.Interval, options.Sizing.GrowUtilization, options.Sizing.IdleTimeout));
        options.Validate();
    }

    [Fact]
    public void ConnectionTimeout_IsTheReconnectorsPerAttemptTimeout()
    {
        var options = new ConnectionPoolOptions { ConnectionTimeout = TimeSpan.FromSeconds(3) };

        Assert.Equal(TimeSpan.FromSeconds(3), options.Reconnect.ConnectionTimeout);
    }

    [Fact]
    public void Validate_ManyBadSettings_NamesEachOne()
    {
        var options = new ConnectionPoolOptions
        {
            Name = " ",
            MinSize = 5,
            MaxSize = 2,
            MaxLeasesPerConnection = 0,
            AcquireTimeout = TimeSpan.Zero,
            LoadBalancingStrategy = (LoadBalancingStrategyKind)99,
            Reconnect = new() { MaxAttempts = 0 },
            Failover = new() { FailureThreshold = 0 },
            Sizing = new() { Interval = TimeSpan.Zero, GrowUtilization = 1.5, IdleTimeout = TimeSpan.FromDays(2) },
            Health = null!,
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(
            [
                "Name must be null or not blank.",
                "MinSize (5) must not exceed MaxSize (2).",
                "MaxLeasesPerConnection must be at least 1 (was 0).",
                "AcquireTimeout must be positive and at most 1.00:00:00 (was 00:00:00).",
                "LoadBalancingStrategy must be one of RoundRobin, LeastLoaded, Random, LeastRecentlyUsed, WeightedRoundRobin, HealthBased, LatencyBased, PowerOfTwoChoices (was 99).",
                "Health is required.",
                "Reconnect.MaxAttempts must be at least 1 (was 0).",
                "Failover.FailureThreshold must be between 1 and 1000 (was 0).",
                "Sizing.Interval must be positive and at most 1.00:00:00 (was 00:00:00).",
                "Sizing.GrowUtilization must be above 0 and at most 1 (was 1.5).",
                "Sizing.IdleTimeout must be positive and at most 1.00:00:00 (was 2.00:00:00).",
            ],
            error.Failures);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<OptionsValidationException>(() =>
            new ConnectionPool<FakePoolConnection>(new ConnectionPoolOptions { MaxSize = 0 }, new FakeConnectionFactory("fake://a")));
    }

    [Fact]
    public void Constructor_SecondaryIsPrimary_Throws()
    {
        var factory = new FakeConnectionFactory("fake://a");

        Assert.Throws<ArgumentException>(() => new ConnectionPool<FakePoolConnection>(new ConnectionPoolOptions(), factory, factory));
    }
}

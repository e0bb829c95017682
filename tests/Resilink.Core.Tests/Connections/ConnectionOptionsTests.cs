using Microsoft.Extensions.Options;
using Resilink.Balancing;
using Resilink.Connections;

namespace Resilink.Core.Tests.Connections;

public sealed class ConnectionOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new ConnectionOptions();

        Assert.Equal(3, options.MaxConnectionsPerPeer);
        Assert.Equal(1, options.MinConnectionsPerPeer);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConnectionTimeout);
        Assert.Equal(LoadBalancingStrategyKind.RoundRobin, options.LoadBalancingStrategy);
        Assert.Equal(3, options.Retry.MaxRetries);
        options.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new ConnectionOptions
        {
            MaxConnectionsPerPeer = 0,
            MinConnectionsPerPeer = -1,
            ConnectionTimeout = TimeSpan.Zero,
            LoadBalancingStrategy = (LoadBalancingStrategyKind)42,
            Retry = { MaxRetries = -1, JitterFactor = 3 },
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(6, error.Failures.Count());
        foreach (var name in new[]
        {
            "MaxConnectionsPerPeer", "MinConnectionsPerPeer", "ConnectionTimeout", "LoadBalancingStrategy",
            "Retry.MaxRetries", "Retry.JitterFactor",
        })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
        Assert.Equal(typeof(ConnectionOptions), error.OptionsType);
    }

    [Fact]
    public void Validate_MinAboveMax_NamesBoth()
    {
        var options = new ConnectionOptions { MinConnectionsPerPeer = 4, MaxConnectionsPerPeer = 3 };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures);

        Assert.StartsWith("MinConnectionsPerPeer (4) must not exceed MaxConnectionsPerPeer (3)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeTimeout_NamesConnectionTimeout()
    {
        var options = new ConnectionOptions { ConnectionTimeout = TimeSpan.FromSeconds(-1) };

        Assert.StartsWith("ConnectionTimeout ", Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void Validate_EveryStrategy_Accepted(LoadBalancingStrategyKind kind)
    {
        new ConnectionOptions { LoadBalancingStrategy = kind }.Validate();
    }

    public static TheoryData<LoadBalancingStrategyKind> AllStrategies => [.. Enum.GetValues<LoadBalancingStrategyKind>()];

    [Fact]
    public void Validate_UndefinedStrategyValue_NamesLoadBalancingStrategy()
    {
        var options = new ConnectionOptions { LoadBalancingStrategy = (LoadBalancingStrategyKind)99 };

        Assert.StartsWith("LoadBalancingStrategy ", Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullRetry_NamesRetry()
    {
        var options = new ConnectionOptions { Retry = null! };

        Assert.StartsWith("Retry ", Assert.Single(Assert.Throws<OptionsValidationException>(options.Validate).Failures), StringComparison.Ordinal);
    }
}

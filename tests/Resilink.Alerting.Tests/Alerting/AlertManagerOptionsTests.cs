using Microsoft.Extensions.Options;
using Resilink.Alerting;

namespace Resilink.Alerting.Tests.Alerting;

public sealed class AlertManagerOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentedValues()
    {
        var options = new AlertManagerOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultCooldown);
        Assert.Equal(1000, options.MaxActiveAlerts);
        Assert.Equal(1000, options.MaxHistory);
        Assert.Equal(TimeSpan.FromHours(24), options.HistoryRetention);
        Assert.Equal(1024, options.SinkQueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DrainTimeout);
        options.Validate();
    }

    [Fact]
    public void Validate_EveryOptionBad_NamesEachOneInOneException()
    {
        var options = new AlertManagerOptions
        {
            DefaultCooldown = TimeSpan.FromSeconds(-1),
            MaxActiveAlerts = 0,
            MaxHistory = -1,
            HistoryRetention = TimeSpan.Zero,
            SinkQueueCapacity = 2_000_000,
            DrainTimeout = TimeSpan.FromSeconds(-1),
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(6, error.Failures.Count());
        foreach (var name in new[] { "DefaultCooldown", "MaxActiveAlerts", "MaxHistory", "HistoryRetention", "SinkQueueCapacity", "DrainTimeout" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(name + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_ZeroCooldownAndHistory_Accepted()
    {
        new AlertManagerOptions { DefaultCooldown = TimeSpan.Zero, MaxHistory = 0, DrainTimeout = TimeSpan.Zero }.Validate();
    }

    [Fact]
    public void Constructor_BadOptions_Throws()
    {
        Assert.Throws<OptionsValidationException>(() => new AlertManager(new AlertManagerOptions { MaxActiveAlerts = 0 }));
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Resilink.Tests.Shared;
using Resilink.Resilience;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerUsageTests
{
    /// <summary>What a pool would hold: one connection factory per endpoint, compared by reference.</summary>
    private sealed class Factory(string address)
    {
        public int WarmUps { get; private set; }

        public Task WarmUpAsync(CancellationToken cancellationToken)
        {
            WarmUps++;
            return Task.CompletedTask;
        }

        public string Open() => $"connection to {address}";

        public override string ToString() => address;
    }

    [Fact]
    public void Current_FactoryEndpoints_PoolOpensFromTheSecondaryFactoryAfterFailover()
    {
        var primary = new Factory("10.0.0.1:5432");
        var secondary = new Factory("10.0.0.2:5432");
        var controller = new FailoverController<Factory>(
            primary, secondary, new FailoverOptions { FailureThreshold = 1 }, (f, ct) => f.WarmUpAsync(ct), new FakeTimeProvider());

        Assert.Equal("connection to 10.0.0.1:5432", controller.Current.Open());
        controller.RecordFailure(primary, new IOException("reset"));

        Assert.Same(secondary, controller.Current);
        Assert.Equal(1, secondary.WarmUps);
        Assert.Equal(0, primary.WarmUps);
        Assert.Throws<ArgumentException>(() => controller.RecordSuccess(new Factory("10.0.0.1:5432")));
    }

    [Fact]
    public void StateChanged_Logged_AtInformationWithReason()
    {
        var logger = new CapturingLogger<FailoverController<string>>();
        var controller = new FailoverController<string>("a", "b", new FailoverOptions(), timeProvider: new FakeTimeProvider(), logger: logger);

        controller.ReportHealth("a", healthy: false);

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message == "Failover: primary 'a' failed: reported unhealthy");
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message == "Failover: FailingOver -> Secondary: primary 'a' failed: reported unhealthy");
    }
}

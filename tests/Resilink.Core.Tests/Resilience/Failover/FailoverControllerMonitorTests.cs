using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;
using Resilink.Resilience;
using static Resilink.Core.Tests.Resilience.Failover.FailoverHarness;

namespace Resilink.Core.Tests.Resilience.Failover;

public sealed class FailoverControllerMonitorTests
{
    [Fact]
    public async Task StateChanged_FailoverThenFailback_ReportsEveryTransitionInOrder()
    {
        var time = new FakeTimeProvider();
        var monitor = new RecordingConnectionMonitor();
        await using var controller = new FailoverController<string>(A, B, new FailoverOptions(), timeProvider: time, monitor: monitor);

        for (int i = 0; i < 3; i++)
        {
            controller.RecordFailure(A, Refused());
        }
        controller.RecordSuccess(A);
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(
            [
                new FailoverEvent(FailoverState.Primary, FailoverState.FailingOver),
                new FailoverEvent(FailoverState.FailingOver, FailoverState.Secondary),
                new FailoverEvent(FailoverState.Secondary, FailoverState.FailingBack),
                new FailoverEvent(FailoverState.FailingBack, FailoverState.Primary),
            ],
            monitor.Of<FailoverEvent>());
    }
}

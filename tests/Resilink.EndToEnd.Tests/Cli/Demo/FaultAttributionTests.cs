using Resilink.Cli.Demo;
using Resilink.Health;

namespace Resilink.EndToEnd.Tests.Cli.Demo;

/// <summary>How the demo blames a failed request on a fault, and credits detections and replacements to faults.</summary>
public sealed class FaultAttributionTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    // The proxy and connection ends are not touched by the bookkeeping under test.
    private static DemoLink Link(string name) => new(name, 0, 1, null!, null!, replacement: false);

    [Fact]
    public void IsOnFaultedConnection_TimeLostOnABlackHoleBeforeFailover_IsTheFaults()
    {
        var blackHoled = Link("h0-h1#0");
        var healthy = Link("h0-h1#1");
        blackHoled.BeginFault("blackhole", S(10));

        // Started at 9 s, spent 2 s on the black hole, stream opened on the healthy link at 11 s, deadline at 14 s.
        Assert.True(LoadGenerator.IsOnFaultedConnection(healthy, [blackHoled, healthy], S(9), S(11), S(14)));
    }

    [Fact]
    public void IsOnFaultedConnection_FaultOnAnotherLinkAfterTheStreamOpened_IsNotTheFaults()
    {
        var other = Link("h0-h1#0");
        var used = Link("h0-h1#1");
        other.BeginFault("blackhole", S(12));

        Assert.False(LoadGenerator.IsOnFaultedConnection(used, [other, used], S(9), S(9.01), S(14)));
    }

    [Fact]
    public void IsOnFaultedConnection_OwnLinkFaultedDuringTheRequest_OrNoStreamWhileAPairLinkWasFaulted()
    {
        var used = Link("h0-h1#0");
        used.BeginFault("reset", S(12));
        var other = Link("h0-h1#1");
        other.BeginFault("+200ms", S(1));
        other.EndFault(S(5));

        Assert.True(LoadGenerator.IsOnFaultedConnection(used, [used], S(9), S(9.01), S(14)));
        Assert.True(LoadGenerator.IsOnFaultedConnection(null, [other], S(4), null, S(9)));
        Assert.False(LoadGenerator.IsOnFaultedConnection(null, [other], S(6), null, S(11)));
    }

    [Fact]
    public void FaultRecord_ReplacementAndDetection_CountOnceAndNotBeforeTheInjection()
    {
        var record = new FaultRecord(new FaultStep(S(5), FaultKind.Reset, 0), Link("h0-h1#0"), S(5), skipped: null);

        Assert.False(record.Observe(HealthStatus.Dead, S(4)));
        Assert.True(record.Observe(HealthStatus.Dead, S(5.2)));
        Assert.False(record.ObserveClosed(S(5.3)));
        Assert.True(record.TryObserveReplaced(S(6)));
        Assert.False(record.TryObserveReplaced(S(7)));
        Assert.Equal((S(5.2), "Dead", S(6)), (record.DetectedAt!.Value, record.DetectedAs, record.ReplacedAt!.Value));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FaultRecord_ConnectionClosedByTheDemoItself_IsNotADetection(bool latency)
    {
        var kind = latency ? FaultKind.Latency : FaultKind.BlackHole;
        // Closed (5) sorts after Dead; a local close at the end of the run must not pass as "Degraded or worse".
        var record = new FaultRecord(new FaultStep(S(5), kind, 0), Link("h0-h1#0"), S(5), skipped: null);

        Assert.False(record.Observe(HealthStatus.Closed, S(6)));
        Assert.True(record.Observe(latency ? HealthStatus.Degraded : HealthStatus.Dead, S(7)));
    }

    [Fact]
    public void DemoLink_TryMarkUp_TrueOnlyTheFirstTime()
    {
        var link = new DemoLink("h0-h1:c9", 0, 1, null!, null!, replacement: true);

        Assert.True(link.TryMarkUp());
        Assert.False(link.TryMarkUp());
    }
}

using Resilink.Cli.Demo;

namespace Resilink.EndToEnd.Tests.Cli.Demo;

/// <summary>The demo's fault schedule: reproducible from its seed, and every fault where a run can see it.</summary>
public sealed class FaultScheduleTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    [Fact]
    public void Create_SameSeed_GivesTheSameSchedule()
    {
        Assert.Equal(FaultSchedule.Create(7, 5, Duration), FaultSchedule.Create(7, 5, Duration));
    }

    [Fact]
    public void Create_OtherSeeds_GiveOtherSchedules()
    {
        var schedules = Enumerable.Range(1, 20).Select(seed => string.Join(';', FaultSchedule.Describe(FaultSchedule.Create(seed, 5, Duration), 5)));

        Assert.True(schedules.Distinct().Count() > 10);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(16)]
    public void Create_AnySwarm_LatencyBlackHoleResetThenRecoveryOfTheLatencyLink(int peers)
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var steps = FaultSchedule.Create(seed, peers, Duration);

            Assert.Equal([FaultKind.Latency, FaultKind.BlackHole, FaultKind.Reset, FaultKind.Recovery], steps.Select(s => s.Kind));
            Assert.Equal(steps[0].Link, steps[3].Link);
            Assert.Equal(3, steps.Take(3).Select(s => s.Link).Distinct().Count());
            Assert.All(steps, s => Assert.InRange(s.Link, 0, (peers * (peers - 1) / 2 * FaultSchedule.ConnectionsPerPair) - 1));
            Assert.Equal(steps.OrderBy(s => s.At), steps);
            // Every fault leaves at least a third of the run to be detected.
            Assert.All(steps, s => Assert.InRange(s.At, Duration * 0.1, Duration * 0.65));
        }
    }

    [Fact]
    public void Create_ThreeOrMorePairs_FaultsDifferentPairs()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var pairs = FaultSchedule.Create(seed, 3, Duration).Take(3).Select(s => s.Link / FaultSchedule.ConnectionsPerPair);

            Assert.Equal(3, pairs.Distinct().Count());
        }
    }

    [Fact]
    public void Create_ScalesTimesWithTheDuration()
    {
        var shortRun = FaultSchedule.Create(7, 5, TimeSpan.FromSeconds(15));

        Assert.All(shortRun, s => Assert.InRange(s.At, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(9.75)));
    }

    [Theory]
    [InlineData(0, 5, "h0-h1#0")]
    [InlineData(5, 5, "h0-h2#2")]
    [InlineData(29, 5, "h3-h4#2")]
    [InlineData(2, 2, "h0-h1#2")]
    public void LinkName_NamesPairAndSlot(int link, int peers, string expected)
    {
        Assert.Equal(expected, DemoLinkName.Of(link, peers));
        var (dialer, listener, slot) = DemoLinkName.Decompose(link, peers);
        Assert.Equal(link, (DemoLinkName.PairIndex(dialer, listener, peers) * FaultSchedule.ConnectionsPerPair) + slot);
    }
}

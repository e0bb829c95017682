using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;

namespace Resilink.Core.Tests.Balancing;

public class LatencyBasedStrategyTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILoadBalancingStrategy _strategy = LoadBalancingStrategies.Create(LoadBalancingStrategyKind.LatencyBased);

    [Fact]
    public void Select_MeasuredCandidates_PicksLowestPeakEwma()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(30));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(10));
        candidates[2].Stats.RecordPing(TimeSpan.FromMilliseconds(20));
        int[] counts = StrategyTestHelpers.Distribution(_strategy, candidates);
        Assert.Equal([0, StrategyTestHelpers.Picks, 0], counts);
    }

    [Fact]
    public void Select_LatencySpike_SwitchesAwayAtOnce()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(10));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(20));
        Assert.Same(candidates[0], _strategy.Select(candidates));

        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(200));
        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_UnmeasuredIdleCandidate_IsProbedFirst()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(1));
        candidates[2].Stats.RecordPing(TimeSpan.FromMilliseconds(1));
        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_UnmeasuredBusyCandidate_RanksLast()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.OnStreamOpened();
        candidates[1].Stats.RecordPing(TimeSpan.FromSeconds(5));
        Assert.Same(candidates[1], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_SlowCandidateIdleLongEnough_IsTriedAgain()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(200));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(1));

        // The fast one keeps being used and measured; the slow one's cost decays: 0.2·e^(−t/10) < 0.001 after ~53 s.
        for (int second = 0; second < 50; second++)
        {
            Assert.Same(candidates[1], _strategy.Select(candidates));
            _time.Advance(TimeSpan.FromSeconds(1));
            candidates[1].Stats.RecordSuccess(TimeSpan.FromMilliseconds(1), _time.GetTimestamp());
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        candidates[1].Stats.RecordSuccess(TimeSpan.FromMilliseconds(1), _time.GetTimestamp());
        Assert.Same(candidates[0], _strategy.Select(candidates));
    }

    [Fact]
    public void Select_AllUnmeasured_Rotates()
    {
        int[] counts = StrategyTestHelpers.Distribution(_strategy, FakeConnection.Many(_time, 4));
        Assert.Equal([2_500, 2_500, 2_500, 2_500], counts);
    }
}

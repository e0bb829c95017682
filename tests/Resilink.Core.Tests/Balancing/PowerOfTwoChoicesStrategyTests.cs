using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;

namespace Resilink.Core.Tests.Balancing;

public class PowerOfTwoChoicesStrategyTests
{
    private readonly FakeTimeProvider _time = new();

    private ILoadBalancingStrategy NewStrategy(int seed = 2024) =>
        LoadBalancingStrategies.Create(LoadBalancingStrategyKind.PowerOfTwoChoices, _time, new Random(seed));

    [Fact]
    public void Select_OneSlowOfThree_NeverPicksTheSlowOne()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 3);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(10));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(500));
        candidates[2].Stats.RecordPing(TimeSpan.FromMilliseconds(12));
        int[] counts = StrategyTestHelpers.Distribution(NewStrategy(), candidates);

        // Two distinct draws: the slowest always meets a faster one. a wins {a,b} and {a,c}: 2/3 of the pairs.
        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[0], 6_350, 6_980);
        Assert.InRange(counts[2], 3_020, 3_650);
    }

    [Fact]
    public void Select_TwoCandidates_AlwaysComparesBoth()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(50));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(20));
        int[] counts = StrategyTestHelpers.Distribution(NewStrategy(), candidates);
        Assert.Equal([0, StrategyTestHelpers.Picks], counts);
    }

    [Fact]
    public void Select_SameLatencyMoreOutstanding_LosesOnLoad()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(10));
        candidates[1].Stats.RecordPing(TimeSpan.FromMilliseconds(30));
        for (int i = 0; i < 3; i++)
        {
            candidates[0].Stats.OnStreamOpened();
        }

        // Loads: 10 ms × 4 = 40 > 30 ms × 1.
        Assert.Same(candidates[1], NewStrategy().Select(candidates));
    }

    [Fact]
    public void Select_UnmeasuredIdle_IsProbedFirst()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromMilliseconds(1));
        int[] counts = StrategyTestHelpers.Distribution(NewStrategy(), candidates, 100);
        Assert.Equal([0, 100], counts);
    }

    [Fact]
    public void Select_UnmeasuredBusy_GetsPenalty()
    {
        FakeConnection[] candidates = FakeConnection.Many(_time, 2);
        candidates[0].Stats.RecordPing(TimeSpan.FromSeconds(30));
        candidates[1].Stats.OnStreamOpened();
        int[] counts = StrategyTestHelpers.Distribution(NewStrategy(), candidates, 100);
        Assert.Equal([100, 0], counts);
    }

    [Fact]
    public void Select_EqualLoads_SplitsEvenly()
    {
        int[] counts = StrategyTestHelpers.Distribution(NewStrategy(), FakeConnection.Many(_time, 4));
        Assert.All(counts, count => Assert.InRange(count, 2_285, 2_715));
    }
}

using Microsoft.Extensions.Time.Testing;
using Resilink.Balancing;
using Resilink.Health;

namespace Resilink.Core.Tests.Balancing;

public class LoadBalancingStrategiesTests
{
    private readonly FakeTimeProvider _time = new();

    public static TheoryData<LoadBalancingStrategyKind> AllKinds()
    {
        var data = new TheoryData<LoadBalancingStrategyKind>();
        foreach (LoadBalancingStrategyKind kind in Enum.GetValues<LoadBalancingStrategyKind>())
        {
            data.Add(kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Create_EachKind_NameIsKindName(LoadBalancingStrategyKind kind)
    {
        Assert.Equal(kind.ToString(), LoadBalancingStrategies.Create(kind).Name);
    }

    [Fact]
    public void Create_UndefinedKind_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoadBalancingStrategies.Create((LoadBalancingStrategyKind)99));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_EmptyList_ThrowsNoCandidatesNamingTheStrategy(LoadBalancingStrategyKind kind)
    {
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(1));
        var error = Assert.Throws<NoCandidatesException>(() => strategy.Select(Array.Empty<IHealthTracked>()));
        Assert.IsAssignableFrom<InvalidOperationException>(error);
        Assert.Contains(kind.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_NullList_ThrowsArgumentNull(LoadBalancingStrategyKind kind)
    {
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(1));
        Assert.Throws<ArgumentNullException>(() => strategy.Select(null!));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_SingleCandidate_ReturnsIt(LoadBalancingStrategyKind kind)
    {
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(1));
        var only = new FakeConnection("only", _time);
        for (int i = 0; i < 10; i++)
        {
            Assert.Same(only, strategy.Select([only]));
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_CandidateListChangesBetweenCalls_AlwaysReturnsACurrentCandidate(LoadBalancingStrategyKind kind)
    {
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(7));
        FakeConnection[] all = FakeConnection.Many(_time, 8);
        var random = new Random(3);
        var current = new List<IHealthTracked>(all);
        for (int round = 0; round < 2_000; round++)
        {
            if (round % 7 == 0)
            {
                // Connections come and go: rebuild a random non-empty subset in a random order.
                current.Clear();
                foreach (FakeConnection connection in all)
                {
                    if (random.Next(2) == 0)
                    {
                        current.Insert(random.Next(current.Count + 1), connection);
                    }
                }

                if (current.Count == 0)
                {
                    current.Add(all[random.Next(all.Length)]);
                }
            }

            IHealthTracked picked = strategy.Select(current);
            Assert.Contains(picked, current);
            picked.Stats.OnStreamOpened();
            picked.Stats.RecordSuccess(TimeSpan.FromMilliseconds(1 + random.Next(50)), _time.GetTimestamp());
            picked.Stats.OnStreamClosed();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_EqualCandidates_EveryCandidateGetsAFairShare(LoadBalancingStrategyKind kind)
    {
        // With identical candidates and the caller reporting use like the Net layer, every strategy spreads
        // the load (none sticks to the first connection).
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(42));
        FakeConnection[] candidates = FakeConnection.Many(_time, 4);
        var counts = new int[4];
        for (int i = 0; i < StrategyTestHelpers.Picks; i++)
        {
            IHealthTracked picked = strategy.Select(candidates);
            counts[StrategyTestHelpers.IndexOf(candidates, picked)]++;
            picked.Stats.OnStreamOpened();
            picked.Stats.RecordSuccess(TimeSpan.FromMilliseconds(5), _time.GetTimestamp());
            picked.Stats.OnStreamClosed();
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        foreach (int count in counts)
        {
            Assert.InRange(count, 2_250, 2_750);
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Select_ConcurrentCallers_OnlyReturnCandidates(LoadBalancingStrategyKind kind)
    {
        var strategy = LoadBalancingStrategies.Create(kind, _time, new Random(5));
        FakeConnection[] candidates = FakeConnection.Many(_time, 8);
        candidates[3].Stats.RecordPing(TimeSpan.FromMilliseconds(40));
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                IHealthTracked picked = strategy.Select(candidates);
                Assert.True(StrategyTestHelpers.IndexOf(candidates, picked) >= 0);
            }
        });
    }
}

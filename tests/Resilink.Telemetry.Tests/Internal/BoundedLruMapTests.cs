using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry.Tests.Internal;

public sealed class BoundedLruMapTests
{
    [Fact]
    public void Set_NewKeyBelowCapacity_AddsWithoutEviction()
    {
        var map = new BoundedLruMap<int>(capacity: 2);

        bool known = map.Set("a", 1, out _, out KeyValuePair<string, int>? evicted);

        Assert.False(known);
        Assert.Null(evicted);
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Set_NewKeyAtCapacity_EvictsTheEntrySetLongestAgo()
    {
        var map = new BoundedLruMap<int>(capacity: 2);
        map.Set("a", 1, out _, out _);
        map.Set("b", 2, out _, out _);

        map.Set("c", 3, out _, out KeyValuePair<string, int>? evicted);

        Assert.Equal(new KeyValuePair<string, int>("a", 1), evicted);
        Assert.Equal(2, map.Count);
        Assert.False(map.TryRemove("a", out _));
    }

    [Fact]
    public void Set_ExistingKey_ReturnsPreviousAndMakesItMostRecent()
    {
        var map = new BoundedLruMap<int>(capacity: 2);
        map.Set("a", 1, out _, out _);
        map.Set("b", 2, out _, out _);

        bool known = map.Set("a", 10, out int previous, out _);
        map.Set("c", 3, out _, out KeyValuePair<string, int>? evicted);

        Assert.True(known);
        Assert.Equal(1, previous);
        Assert.Equal("b", evicted?.Key);
        Assert.True(map.TryRemove("a", out int value));
        Assert.Equal(10, value);
    }

    [Fact]
    public void TryRemove_PresentKey_RemovesIt()
    {
        var map = new BoundedLruMap<int>(capacity: 2);
        map.Set("a", 1, out _, out _);

        Assert.True(map.TryRemove("a", out int value));
        Assert.Equal(1, value);
        Assert.Equal(0, map.Count);
        Assert.False(map.TryRemove("a", out _));
    }

    [Fact]
    public void Set_ManyThreads_NeverHoldsMoreThanCapacity()
    {
        var map = new BoundedLruMap<int>(capacity: 50);

        Parallel.For(0, 10_000, i =>
        {
            map.Set($"k{i}", i, out _, out _);
            if (i % 3 == 0)
            {
                map.TryRemove($"k{i - 1}", out _);
            }
        });

        int count = map.Count;
        int removed = Enumerable.Range(0, 10_000).Count(i => map.TryRemove($"k{i}", out _));
        Assert.InRange(count, 1, 50);
        Assert.Equal(count, removed);
        Assert.Equal(0, map.Count);
    }
}

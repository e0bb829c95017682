using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class BoundedHistoryTests
{
    [Fact]
    public void ToArray_Empty_ReturnsEmpty()
    {
        var history = new BoundedHistory<int>(3);
        Assert.Empty(history.ToArray());
        Assert.Equal(0, history.Count);
        Assert.Equal(0, history.TotalAdded);
    }

    [Fact]
    public void Add_UnderCapacity_KeepsAllOldestFirst()
    {
        var history = new BoundedHistory<int>(3);
        history.Add(1);
        history.Add(2);
        Assert.Equal(new[] { 1, 2 }, history.ToArray());
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public void Add_OverCapacity_DropsOldest()
    {
        var history = new BoundedHistory<int>(3);
        for (int i = 1; i <= 5; i++)
        {
            history.Add(i);
        }

        Assert.Equal(new[] { 3, 4, 5 }, history.ToArray());
        Assert.Equal(3, history.Count);
        Assert.Equal(5, history.TotalAdded);
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedHistory<string>(0));
    }
}

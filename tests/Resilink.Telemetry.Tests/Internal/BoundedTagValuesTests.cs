using Resilink.Telemetry.Internal;

namespace Resilink.Telemetry.Tests.Internal;

public sealed class BoundedTagValuesTests
{
    [Fact]
    public void Get_UpToLimit_ReturnsEachValue()
    {
        var values = new BoundedTagValues(limit: 3);

        Assert.Equal(["a", "b", "c"], new[] { "a", "b", "c" }.Select(values.Get));
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void Get_NewValuePastLimit_ReturnsOther()
    {
        var values = new BoundedTagValues(limit: 2);
        values.Get("a");
        values.Get("b");

        Assert.Equal("other", values.Get("c"));
        Assert.Equal("other", values.Get("d"));
        Assert.Equal(2, values.Count);
    }

    [Fact]
    public void Get_AdmittedValueAfterLimitReached_StillReturnsIt()
    {
        var values = new BoundedTagValues(limit: 2);
        values.Get("a");
        values.Get("b");
        values.Get("c");

        Assert.Equal("a", values.Get("a"));
        Assert.Equal("b", values.Get("b"));
    }

    [Fact]
    public void Get_RepeatedValue_CountsOnce()
    {
        var values = new BoundedTagValues(limit: 2);
        values.Get("a");
        values.Get("a");

        Assert.Equal("b", values.Get("b"));
        Assert.Equal(2, values.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Get_NullOrEmpty_ReturnsUnknownWithoutUsingTheLimit(string? value)
    {
        var values = new BoundedTagValues(limit: 1);

        Assert.Equal("unknown", values.Get(value));
        Assert.Equal("a", values.Get("a"));
    }

    [Fact]
    public void Get_ManyThreadsWithManyValues_AdmitsExactlyTheLimit()
    {
        var values = new BoundedTagValues(limit: 100);
        string[] results = new string[10_000];

        Parallel.For(0, results.Length, i => results[i] = values.Get($"v{i % 1000}"));

        Assert.Equal(100, results.Where(r => r != "other").Distinct().Count());
        Assert.Equal(100, values.Count);
    }

    [Fact]
    public void Constructor_LimitBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedTagValues(0));
    }
}

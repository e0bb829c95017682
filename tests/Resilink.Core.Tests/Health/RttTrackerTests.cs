using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class RttTrackerTests
{
    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void GetStatistics_NoSamples_AllZero()
    {
        var tracker = new RttTracker(10);
        Assert.False(tracker.HasSamples);
        Assert.Equal(default, tracker.GetStatistics());
    }

    [Fact]
    public void Record_FirstSample_InitializesAverageAndLast()
    {
        var tracker = new RttTracker(10);
        tracker.Record(Ms(80));

        RttStatistics stats = tracker.GetStatistics();
        Assert.True(tracker.HasSamples);
        Assert.Equal(Ms(80), stats.Last);
        Assert.Equal(Ms(80), stats.Average);
        Assert.Equal(1, stats.SampleCount);
    }

    [Fact]
    public void Record_LaterSample_MovesAverageByAlpha()
    {
        var tracker = new RttTracker(10);
        tracker.Record(Ms(100));
        tracker.Record(Ms(200));

        // 100 + α · (200 − 100), α = 0.3
        Assert.Equal(Ms(100 + (HealthConstants.RttEwmaAlpha * 100)), tracker.GetStatistics().Average);
        Assert.Equal(Ms(200), tracker.GetStatistics().Last);
    }

    [Fact]
    public void Average_AfterSamples_EqualsStatisticsAverage()
    {
        var tracker = new RttTracker(10);
        Assert.Equal(TimeSpan.Zero, tracker.Average);
        tracker.Record(Ms(100));
        tracker.Record(Ms(300));
        Assert.Equal(Ms(100 + (HealthConstants.RttEwmaAlpha * 200)), tracker.Average);
        Assert.Equal(tracker.Average, tracker.GetStatistics().Average);
    }

    [Fact]
    public void GetStatistics_OneToHundredShuffled_NearestRankPercentiles()
    {
        var tracker = new RttTracker(100);
        foreach (int ms in Enumerable.Range(1, 100).OrderBy(i => (i * 37) % 101))
        {
            tracker.Record(Ms(ms));
        }

        RttStatistics stats = tracker.GetStatistics();
        Assert.Equal(Ms(50), stats.P50);
        Assert.Equal(Ms(95), stats.P95);
        Assert.Equal(Ms(99), stats.P99);
    }

    [Fact]
    public void GetStatistics_FourSamples_RankIsCeiling()
    {
        var tracker = new RttTracker(10);
        foreach (int ms in new[] { 40, 10, 30, 20 })
        {
            tracker.Record(Ms(ms));
        }

        RttStatistics stats = tracker.GetStatistics();
        Assert.Equal(Ms(20), stats.P50); // rank ceil(0.5 · 4) = 2
        Assert.Equal(Ms(40), stats.P95);
        Assert.Equal(Ms(40), stats.P99);
    }

    [Fact]
    public void GetStatistics_MoreSamplesThanWindow_PercentilesOverLatestOnly()
    {
        var tracker = new RttTracker(3);
        foreach (int ms in new[] { 1000, 1000, 1000, 3, 1, 2 })
        {
            tracker.Record(Ms(ms));
        }

        RttStatistics stats = tracker.GetStatistics();
        Assert.Equal(Ms(2), stats.P50);
        Assert.Equal(Ms(3), stats.P99);
        Assert.Equal(6, stats.SampleCount);
    }

    [Fact]
    public void Record_NegativeRtt_CountsAsZero()
    {
        var tracker = new RttTracker(10);
        tracker.Record(Ms(-5));
        Assert.Equal(TimeSpan.Zero, tracker.GetStatistics().Last);
    }

    [Fact]
    public void Constructor_WindowBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RttTracker(0));
    }
}

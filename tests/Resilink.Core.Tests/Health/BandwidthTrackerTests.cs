using Microsoft.Extensions.Time.Testing;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class BandwidthTrackerTests
{
    private const double Tolerance = 1e-9;
    private readonly FakeTimeProvider _time = new();

    private BandwidthTracker NewTracker(int windowSeconds = 10) => new(TimeSpan.FromSeconds(windowSeconds), _time);

    [Fact]
    public void GetStatistics_NothingAdded_AllZero()
    {
        BandwidthStatistics stats = NewTracker().GetStatistics();
        Assert.Equal(new BandwidthStatistics(0, 0, 0, 0, 0, 0, 0, 0, TimeSpan.FromSeconds(10)), stats);
    }

    [Fact]
    public void GetStatistics_FirstSecondNotCompleted_CurrentIsCurrentSecond()
    {
        var tracker = NewTracker();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        tracker.Add(100, 50);

        BandwidthStatistics stats = tracker.GetStatistics();
        Assert.Equal(100, stats.CurrentIn);
        Assert.Equal(50, stats.CurrentOut);
        Assert.Equal(100, stats.AverageIn, Tolerance); // divided by at least 1 s
        Assert.Equal(100, stats.PeakIn);
    }

    [Fact]
    public void GetStatistics_SecondCompleted_CurrentIsLatestCompletedSecond()
    {
        var tracker = NewTracker();
        tracker.Add(100, 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        tracker.Add(30, 0);
        Assert.Equal(100, tracker.GetStatistics().CurrentIn);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(30, tracker.GetStatistics().CurrentIn);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, tracker.GetStatistics().CurrentIn); // an idle second
    }

    [Fact]
    public void GetStatistics_YoungerThanWindow_AveragesOverAge()
    {
        var tracker = NewTracker();
        tracker.Add(300, 0);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        tracker.Add(300, 0);
        Assert.Equal(400, tracker.GetStatistics().AverageIn, Tolerance);
    }

    [Fact]
    public void GetStatistics_OlderThanWindow_AveragesOverWindow()
    {
        var tracker = NewTracker(windowSeconds: 10);
        for (int second = 0; second < 20; second++)
        {
            tracker.Add(100, 10);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Now in second 20 (empty); the window holds seconds 11..20: 9 × 100 bytes over 10 s.
        BandwidthStatistics stats = tracker.GetStatistics();
        Assert.Equal(90, stats.AverageIn, Tolerance);
        Assert.Equal(9, stats.AverageOut, Tolerance);
        Assert.Equal(2000, stats.BytesIn);
        Assert.Equal(200, stats.BytesOut);
    }

    [Fact]
    public void GetStatistics_SeveralSeconds_PeakIsBusiestSecond()
    {
        var tracker = NewTracker();
        foreach (long bytes in new long[] { 100, 500, 200 })
        {
            tracker.Add(0, bytes);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(500, tracker.GetStatistics().PeakOut);
    }

    [Fact]
    public void GetStatistics_BucketOlderThanWindow_Expires()
    {
        var tracker = NewTracker(windowSeconds: 10);
        tracker.Add(1000, 0);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(1000, tracker.GetStatistics().PeakIn);
        Assert.Equal(1000 / 9.9, tracker.GetStatistics().AverageIn, Tolerance);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        BandwidthStatistics stats = tracker.GetStatistics();
        Assert.Equal(0, stats.PeakIn);
        Assert.Equal(0, stats.AverageIn);
        Assert.Equal(1000, stats.BytesIn); // totals never expire
    }

    [Fact]
    public void Add_AfterRingWrapped_DoesNotMixOldBucket()
    {
        var tracker = NewTracker(windowSeconds: 3);
        tracker.Add(1000, 0);
        _time.Advance(TimeSpan.FromSeconds(3)); // same slot as second 0
        tracker.Add(5, 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, tracker.GetStatistics().CurrentIn);
        Assert.Equal(5, tracker.GetStatistics().PeakIn);
    }

    [Fact]
    public void GetStatistics_OneSecondWindow_CurrentStillLatestCompletedSecond()
    {
        var tracker = NewTracker(windowSeconds: 1);
        tracker.Add(70, 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        tracker.Add(1, 0);
        Assert.Equal(70, tracker.GetStatistics().CurrentIn);
    }

    [Fact]
    public void Add_NegativeBytes_Throws()
    {
        var tracker = NewTracker();
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Add(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Add(0, -1));
    }

    [Fact]
    public void Constructor_WindowUnderOneSecond_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandwidthTracker(TimeSpan.FromMilliseconds(999), _time));
    }
}

using Microsoft.Extensions.Time.Testing;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class BandwidthTrackerTests
{
    private const double Tolerance = 1e-6;
    private readonly FakeTimeProvider _time = new();

    private BandwidthTracker NewTracker(int windowSeconds = 10) => new(TimeSpan.FromSeconds(windowSeconds), _time);

    // Moves the clock on and observes what flowed meanwhile.
    private void After(BandwidthTracker tracker, double seconds, long bytesIn, long bytesOut = 0)
    {
        _time.Advance(TimeSpan.FromSeconds(seconds));
        tracker.Observe(bytesIn, bytesOut);
    }

    // A steady flow observed every second.
    private void EverySecond(BandwidthTracker tracker, int seconds, long bytesIn, long bytesOut = 0)
    {
        for (int second = 0; second < seconds; second++)
        {
            After(tracker, 1, bytesIn, bytesOut);
        }
    }

    private static void AssertRates(BandwidthStatistics stats, double current, double average, double peak)
    {
        Assert.Equal(current, stats.CurrentIn, Tolerance);
        Assert.Equal(average, stats.AverageIn, Tolerance);
        Assert.Equal(peak, stats.PeakIn, Tolerance);
    }

    [Fact]
    public void GetStatistics_NothingAdded_AllZero()
    {
        BandwidthStatistics stats = NewTracker().GetStatistics();
        Assert.Equal(new BandwidthStatistics(0, 0, 0, 0, 0, 0, 0, 0, TimeSpan.FromSeconds(10)), stats);
    }

    [Fact]
    public void GetStatistics_FirstSecondNotCompleted_RatesOverAtLeastOneSecond()
    {
        var tracker = NewTracker();
        After(tracker, 0.2, 100, 50);

        BandwidthStatistics stats = tracker.GetStatistics();
        AssertRates(stats, current: 100, average: 100, peak: 100); // 0.2 s observed reads as 1 s
        Assert.Equal(50, stats.CurrentOut, Tolerance);
    }

    [Fact]
    public void GetStatistics_SecondCompleted_CurrentIsLatestCompletedSecond()
    {
        var tracker = NewTracker();
        After(tracker, 1, 100);
        After(tracker, 1, 30);
        Assert.Equal(30, tracker.GetStatistics().CurrentIn, Tolerance);

        _time.Advance(TimeSpan.FromSeconds(0.5)); // a second just begun is not a drop
        Assert.Equal(30, tracker.GetStatistics().CurrentIn, Tolerance);

        After(tracker, 0.5, 0);
        Assert.Equal(0, tracker.GetStatistics().CurrentIn); // an idle second
    }

    [Fact]
    public void Observe_SteadyRateObservedEverySecond_CurrentAverageAndPeakAreTheRate()
    {
        var tracker = NewTracker(windowSeconds: 60);
        EverySecond(tracker, 120, 1000, 100);

        BandwidthStatistics stats = tracker.GetStatistics();
        AssertRates(stats, current: 1000, average: 1000, peak: 1000);
        Assert.Equal(100, stats.AverageOut, Tolerance);
        Assert.Equal((120_000L, 12_000L), (stats.BytesIn, stats.BytesOut));
    }

    [Fact]
    public void Observe_SteadyRateObservedOnceAMinute_CurrentAverageAndPeakAreTheRate()
    {
        var tracker = NewTracker(windowSeconds: 60);
        for (int minute = 0; minute < 3; minute++)
        {
            After(tracker, 60, 60_000);
            AssertRates(tracker.GetStatistics(), current: 1000, average: 1000, peak: 1000);
        }

        _time.Advance(TimeSpan.FromSeconds(30.5)); // read between observations: the observed part still says 1000
        AssertRates(tracker.GetStatistics(), current: 1000, average: 1000, peak: 1000);
    }

    [Fact]
    public void Observe_SpanLongerThanWindow_KeepsOnlyTheWindowsShare()
    {
        var tracker = NewTracker(windowSeconds: 10);
        After(tracker, 100, 100_000);

        BandwidthStatistics stats = tracker.GetStatistics();
        AssertRates(stats, current: 1000, average: 1000, peak: 1000);
        Assert.Equal(100_000, stats.BytesIn);
    }

    [Fact]
    public void Observe_Burst_RaisesPeakNotAverage()
    {
        var tracker = NewTracker(windowSeconds: 60);
        EverySecond(tracker, 60, 1000);

        After(tracker, 1, 31_000); // second 60: 30 kB on top of the steady 1 kB
        EverySecond(tracker, 10, 1000);

        // Now 71 s: the window holds seconds 12..70, 59 of them observed, one with the burst.
        AssertRates(tracker.GetStatistics(), current: 1000, average: 89_000 / 59.0, peak: 31_000);
    }

    [Fact]
    public void Observe_IdleAfterBurst_CurrentZeroAndBurstLeavesWithTheWindow()
    {
        var tracker = NewTracker(windowSeconds: 10);
        After(tracker, 1, 50_000);
        After(tracker, 1, 0);
        AssertRates(tracker.GetStatistics(), current: 0, average: 25_000, peak: 50_000);

        EverySecond(tracker, 9, 0);

        // Now 11 s: the window holds seconds 2..11; the burst in second 0 has left it.
        BandwidthStatistics stats = tracker.GetStatistics();
        AssertRates(stats, current: 0, average: 0, peak: 0);
        Assert.Equal(50_000, stats.BytesIn); // totals never expire
    }

    [Fact]
    public void GetStatistics_NotObservedSinceBurstLeftWindow_AllRatesZero()
    {
        var tracker = NewTracker(windowSeconds: 10);
        After(tracker, 1, 50_000);
        _time.Advance(TimeSpan.FromSeconds(20));

        AssertRates(tracker.GetStatistics(), current: 0, average: 0, peak: 0);
    }

    [Fact]
    public void GetStatistics_YoungerThanWindow_AveragesOverAge()
    {
        var tracker = NewTracker();
        tracker.Observe(300, 0); // at the opening instant
        After(tracker, 1.5, 300);
        Assert.Equal(400, tracker.GetStatistics().AverageIn, Tolerance);
    }

    [Fact]
    public void GetStatistics_YoungerThanWindowObservedEveryFewSeconds_RatesOverAge()
    {
        var tracker = NewTracker(windowSeconds: 60);
        for (int round = 0; round < 4; round++)
        {
            After(tracker, 5, 5000);
        }

        AssertRates(tracker.GetStatistics(), current: 1000, average: 1000, peak: 1000); // 20 kB over 20 s, not 60 s
    }

    [Fact]
    public void GetStatistics_OlderThanWindow_AveragesOverWindow()
    {
        var tracker = NewTracker(windowSeconds: 10);
        EverySecond(tracker, 20, 100, 10);

        // Now 20 s, observed up to now; the window holds seconds 11..20: 9 whole seconds of 100 bytes.
        BandwidthStatistics stats = tracker.GetStatistics();
        Assert.Equal(100, stats.AverageIn, Tolerance);
        Assert.Equal(10, stats.AverageOut, Tolerance);
        Assert.Equal(2000, stats.BytesIn);
        Assert.Equal(200, stats.BytesOut);
    }

    [Fact]
    public void GetStatistics_SeveralSeconds_PeakIsBusiestSecond()
    {
        var tracker = NewTracker();
        foreach (long bytes in new long[] { 100, 500, 200 })
        {
            After(tracker, 1, 0, bytes);
        }

        Assert.Equal(500, tracker.GetStatistics().PeakOut, Tolerance);
    }

    [Fact]
    public void GetStatistics_BucketOlderThanWindow_Expires()
    {
        var tracker = NewTracker(windowSeconds: 10);
        After(tracker, 1, 1000);

        After(tracker, 8.9, 0);
        Assert.Equal(1000, tracker.GetStatistics().PeakIn, Tolerance);
        Assert.Equal(1000 / 9.9, tracker.GetStatistics().AverageIn, Tolerance);

        After(tracker, 0.1, 0);
        BandwidthStatistics stats = tracker.GetStatistics();
        Assert.Equal(0, stats.PeakIn);
        Assert.Equal(0, stats.AverageIn);
        Assert.Equal(1000, stats.BytesIn);
    }

    [Fact]
    public void Observe_AfterRingWrapped_DoesNotMixOldBucket()
    {
        var tracker = NewTracker(windowSeconds: 3);
        After(tracker, 1, 1000);
        After(tracker, 2, 0);
        After(tracker, 1, 5); // second 3: the same slot as second 0
        Assert.Equal(5, tracker.GetStatistics().CurrentIn, Tolerance);
        Assert.Equal(5, tracker.GetStatistics().PeakIn, Tolerance);
    }

    [Fact]
    public void GetStatistics_OneSecondWindow_CurrentStillLatestCompletedSecond()
    {
        var tracker = NewTracker(windowSeconds: 1);
        After(tracker, 1, 70);
        After(tracker, 0.5, 1);
        Assert.Equal(70, tracker.GetStatistics().CurrentIn, Tolerance);
    }

    [Fact]
    public void Constructor_OpenForAWhile_FirstObservationSpreadOverTheAge()
    {
        var tracker = new BandwidthTracker(TimeSpan.FromSeconds(60), _time, openFor: TimeSpan.FromMinutes(10));
        tracker.Observe(600_000, 0);

        AssertRates(tracker.GetStatistics(), current: 1000, average: 1000, peak: 1000);
    }

    [Fact]
    public void Observe_NegativeBytes_Throws()
    {
        var tracker = NewTracker();
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Observe(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Observe(0, -1));
    }

    [Fact]
    public void Constructor_WindowUnderOneSecond_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandwidthTracker(TimeSpan.FromMilliseconds(999), _time));
    }
}

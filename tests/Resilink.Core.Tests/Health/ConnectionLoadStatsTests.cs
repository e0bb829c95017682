using Microsoft.Extensions.Time.Testing;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class ConnectionLoadStatsTests
{
    private const double Tolerance = 1e-9;
    private readonly FakeTimeProvider _time = new();

    private ConnectionLoadStats NewStats() => new(_time);

    [Fact]
    public void GetPeakEwmaLatencySeconds_NoSample_IsZero()
    {
        var stats = NewStats();
        Assert.False(stats.HasLatencySample);
        Assert.Equal(0.0, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()));
        Assert.Equal(TimeSpan.Zero, stats.PeakEwmaLatency);
    }

    [Fact]
    public void RecordSuccess_FirstSample_JumpsToSample()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(100), _time.GetTimestamp());
        Assert.True(stats.HasLatencySample);
        Assert.Equal(0.1, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
    }

    [Fact]
    public void RecordSuccess_HigherSample_JumpsToPeakAtOnce()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(20), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        stats.RecordSuccess(TimeSpan.FromMilliseconds(200), _time.GetTimestamp());
        Assert.Equal(0.2, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
    }

    [Fact]
    public void RecordSuccess_LowerSampleAtSameInstant_KeepsPeak()
    {
        var stats = NewStats();
        long now = _time.GetTimestamp();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(100), now);
        stats.RecordSuccess(TimeSpan.FromMilliseconds(10), now);
        Assert.Equal(0.1, stats.GetPeakEwmaLatencySeconds(now), Tolerance);
    }

    [Fact]
    public void RecordSuccess_LowerSampleAfterTau_BlendsWithExpWeight()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(100), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(10));
        stats.RecordSuccess(TimeSpan.FromMilliseconds(20), _time.GetTimestamp());

        double w = Math.Exp(-1.0);
        Assert.Equal((0.1 * w) + (0.02 * (1 - w)), stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
        Assert.Equal(0.0494304, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), 1e-6);
    }

    [Fact]
    public void GetPeakEwmaLatencySeconds_IdleTime_DecaysTowardZero()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(100), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0.1 * Math.Exp(-0.5), stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0.1 * Math.Exp(-1.0), stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
        Assert.Equal(0.1 * Math.Exp(-1.0), stats.PeakEwmaLatency.TotalSeconds, 1e-6);
    }

    [Fact]
    public void GetPeakEwmaLatencySeconds_TimestampBeforeSample_IsUndecayed()
    {
        var stats = NewStats();
        long before = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));
        stats.RecordSuccess(TimeSpan.FromMilliseconds(100), _time.GetTimestamp());
        Assert.Equal(0.1, stats.GetPeakEwmaLatencySeconds(before), Tolerance);
    }

    [Fact]
    public void RecordPing_Rtt_FeedsPeakEwmaButNotFailureRateOrLastUsed()
    {
        var stats = NewStats();
        stats.RecordPing(TimeSpan.FromMilliseconds(30));
        Assert.Equal(0.03, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
        Assert.Equal(0.0, stats.FailureRate);
        Assert.Equal(0L, stats.LastUsedTimestamp);
    }

    [Fact]
    public void RecordSuccess_NegativeLatency_CountsAsZero()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(-5), _time.GetTimestamp());
        Assert.True(stats.HasLatencySample);
        Assert.Equal(0.0, stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()));
    }

    [Fact]
    public void LatencyOrderKey_SamplesAtDifferentTimes_OrdersLikeDecayedCost()
    {
        var older = NewStats();
        older.RecordSuccess(TimeSpan.FromMilliseconds(300), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(20));
        var newer = NewStats();
        newer.RecordSuccess(TimeSpan.FromMilliseconds(50), _time.GetTimestamp());

        // 0.3·e^−2 ≈ 0.0406 < 0.05 now; after a 500 ms spike on the older one the order flips.
        long now = _time.GetTimestamp();
        Assert.True(older.GetPeakEwmaLatencySeconds(now) < newer.GetPeakEwmaLatencySeconds(now));
        Assert.True(older.LatencyOrderKey < newer.LatencyOrderKey);

        _time.Advance(TimeSpan.FromSeconds(30));
        now = _time.GetTimestamp();
        older.RecordSuccess(TimeSpan.FromMilliseconds(500), now);
        Assert.True(older.GetPeakEwmaLatencySeconds(now) > newer.GetPeakEwmaLatencySeconds(now));
        Assert.True(older.LatencyOrderKey > newer.LatencyOrderKey);
    }

    [Fact]
    public void GetLoad_NoSampleAndIdle_IsZero()
    {
        Assert.Equal(0.0, NewStats().GetLoad(_time.GetTimestamp()));
    }

    [Fact]
    public void GetLoad_NoSampleAndBusy_IsPenaltyPlusOutstanding()
    {
        var stats = NewStats();
        stats.OnStreamOpened();
        stats.OnStreamOpened();
        Assert.Equal(ConnectionLoadStats.UnmeasuredPenalty + 2, stats.GetLoad(_time.GetTimestamp()));
    }

    [Fact]
    public void GetLoad_Measured_IsCostTimesOutstandingPlusOne()
    {
        var stats = NewStats();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(50), _time.GetTimestamp());
        stats.OnStreamOpened();
        stats.OnStreamOpened();
        stats.OnStreamOpened();
        Assert.Equal(0.05 * 4, stats.GetLoad(_time.GetTimestamp()), Tolerance);
    }

    [Fact]
    public void FailureRate_OneFailure_IsSmoothingFactor()
    {
        var stats = NewStats();
        stats.RecordFailure(_time.GetTimestamp());
        Assert.Equal(0.1, stats.FailureRate, Tolerance);
    }

    [Fact]
    public void FailureRate_FailureThenSuccesses_DecaysGeometrically()
    {
        var stats = NewStats();
        stats.RecordFailure(_time.GetTimestamp());
        stats.RecordSuccess(TimeSpan.FromMilliseconds(1), _time.GetTimestamp());
        stats.RecordSuccess(TimeSpan.FromMilliseconds(1), _time.GetTimestamp());
        Assert.Equal(0.1 * 0.9 * 0.9, stats.FailureRate, Tolerance);
    }

    [Fact]
    public void FailureRate_ManyFailures_ApproachesOne()
    {
        var stats = NewStats();
        for (int i = 0; i < 200; i++)
        {
            stats.RecordFailure(_time.GetTimestamp());
        }

        Assert.InRange(stats.FailureRate, 0.999, 1.0);
    }

    [Fact]
    public void Weight_New_IsOne()
    {
        Assert.Equal(1.0, NewStats().Weight);
    }

    [Fact]
    public void RecordFailure_FullWeight_HalvesWeight()
    {
        var stats = NewStats();
        stats.RecordFailure(_time.GetTimestamp());
        Assert.Equal(0.5, stats.Weight, Tolerance);
    }

    [Fact]
    public void Weight_AfterFailure_RecoversLinearlyOverFakeTime()
    {
        var stats = NewStats();
        stats.RecordFailure(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0.5 + (4 * 0.05), stats.Weight, Tolerance);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1.0, stats.Weight, Tolerance);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1.0, stats.Weight);
    }

    [Fact]
    public void RecordFailure_DuringRecovery_DropsFromRecoveredValue()
    {
        var stats = NewStats();
        stats.RecordFailure(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(2));
        stats.RecordFailure(_time.GetTimestamp());
        Assert.Equal((0.5 + 0.1) * 0.5, stats.Weight, Tolerance);
    }

    [Fact]
    public void RecordFailure_Repeated_FloorsAtMinimumWeight()
    {
        var stats = NewStats();
        for (int i = 0; i < 20; i++)
        {
            stats.RecordFailure(_time.GetTimestamp());
        }

        Assert.Equal(0.05, stats.Weight, Tolerance);
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(1.0, stats.Weight, Tolerance);
    }

    [Fact]
    public void Options_Custom_AreApplied()
    {
        var options = new ConnectionLoadStatsOptions
        {
            PeakEwmaDecayTime = TimeSpan.FromSeconds(1),
            FailureRateSmoothing = 0.5,
            WeightDropFactor = 0.25,
            MinimumWeight = 0.2,
            WeightRecoveryPerSecond = 0.1,
        };
        var stats = new ConnectionLoadStats(_time, options);
        stats.RecordSuccess(TimeSpan.FromSeconds(1), _time.GetTimestamp());
        stats.RecordFailure(_time.GetTimestamp());
        Assert.Equal(0.5, stats.FailureRate, Tolerance);
        Assert.Equal(0.25, stats.Weight, Tolerance);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Math.Exp(-1.0), stats.GetPeakEwmaLatencySeconds(_time.GetTimestamp()), Tolerance);
        Assert.Equal(0.35, stats.Weight, Tolerance);
    }

    [Theory]
    [InlineData(0.0, 0.1, 0.5, 0.05, 0.05)]
    [InlineData(10.0, 0.0, 0.5, 0.05, 0.05)]
    [InlineData(10.0, 1.5, 0.5, 0.05, 0.05)]
    [InlineData(10.0, 0.1, 1.0, 0.05, 0.05)]
    [InlineData(10.0, 0.1, 0.5, 0.0, 0.05)]
    [InlineData(10.0, 0.1, 0.5, 0.05, 0.0)]
    public void Constructor_InvalidOptions_Throws(double tau, double smoothing, double drop, double floor, double recovery)
    {
        var options = new ConnectionLoadStatsOptions
        {
            PeakEwmaDecayTime = TimeSpan.FromSeconds(tau),
            FailureRateSmoothing = smoothing,
            WeightDropFactor = drop,
            MinimumWeight = floor,
            WeightRecoveryPerSecond = recovery,
        };
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLoadStats(_time, options));
    }

    [Fact]
    public void OnStreamOpened_Called_CountsAndMarksUsedNow()
    {
        var stats = NewStats();
        _time.Advance(TimeSpan.FromSeconds(3));
        stats.OnStreamOpened();
        Assert.Equal(1, stats.Outstanding);
        Assert.Equal(_time.GetTimestamp(), stats.LastUsedTimestamp);
    }

    [Fact]
    public void OnStreamClosed_MoreClosesThanOpens_StaysAtZero()
    {
        var stats = NewStats();
        stats.OnStreamOpened();
        stats.OnStreamClosed();
        stats.OnStreamClosed();
        Assert.Equal(0, stats.Outstanding);
    }

    [Fact]
    public void LastUsedTimestamp_OlderOutcomeAfterNewer_NeverMovesBack()
    {
        var stats = NewStats();
        long early = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));
        long late = _time.GetTimestamp();
        stats.RecordSuccess(TimeSpan.FromMilliseconds(1), late);
        stats.RecordFailure(early);
        Assert.Equal(late, stats.LastUsedTimestamp);
    }

    [Fact]
    public void HealthScore_Default_IsOne()
    {
        Assert.Equal(1.0, NewStats().HealthScore);
    }

    [Theory]
    [InlineData(0.4, 0.4)]
    [InlineData(-1.0, 0.0)]
    [InlineData(2.0, 1.0)]
    public void HealthScore_Set_IsClampedToUnitRange(double value, double expected)
    {
        var stats = NewStats();
        stats.HealthScore = value;
        Assert.Equal(expected, stats.HealthScore);
    }

    [Fact]
    public void HealthScore_SetNaN_Throws()
    {
        var stats = NewStats();
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.HealthScore = double.NaN);
    }

    [Fact]
    public async Task Stats_ConcurrentWritersAndReaders_StayConsistent()
    {
        var stats = NewStats();
        long now = _time.GetTimestamp();
        const int PerThread = 20_000;
        bool inconsistent = false;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                double latency = stats.GetPeakEwmaLatencySeconds(now);
                double weight = stats.GetWeight(now);
                double rate = stats.FailureRate;
                if (latency is < 0 or > 0.2 || weight is < 0.05 or > 1.0 || rate is < 0 or > 1)
                {
                    inconsistent = true;
                }
            }
        });

        Parallel.For(0, 4, worker =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                stats.OnStreamOpened();
                if (i % 3 == 0)
                {
                    stats.RecordFailure(now);
                }
                else
                {
                    stats.RecordSuccess(TimeSpan.FromMilliseconds(worker % 2 == 0 ? 100 : 200), now);
                }

                stats.OnStreamClosed();
            }
        });
        await stop.CancelAsync();
        await reader;

        Assert.False(inconsistent);
        Assert.Equal(0, stats.Outstanding);
        Assert.Equal(0.2, stats.GetPeakEwmaLatencySeconds(now), Tolerance);
    }
}

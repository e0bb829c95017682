using Microsoft.Extensions.Time.Testing;
using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class PhiAccrualFailureDetectorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    private PhiAccrualFailureDetector NewDetector(int maxSampleSize = 1000, double pauseSeconds = 0) => new(
        threshold: 8.0, maxSampleSize, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(pauseSeconds), Second, _time);

    // Heartbeats exactly one second apart, enough of them that the seeded intervals left the history:
    // mean 1 s, deviation 0, floored at 100 ms.
    private PhiAccrualFailureDetector SteadyOneSecondDetector()
    {
        var detector = NewDetector(maxSampleSize: 10);
        for (int i = 0; i < 20; i++)
        {
            detector.Heartbeat();
            _time.Advance(Second);
        }

        detector.Heartbeat();
        return detector;
    }

    // Akka's two-branch formula, written out independently.
    private static double AkkaPhi(double elapsed, double mean, double deviation)
    {
        double y = (elapsed - mean) / deviation;
        double e = Math.Exp(-y * (1.5976 + (0.070566 * y * y)));
        return elapsed > mean ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - (1.0 / (1.0 + e)));
    }

    [Fact]
    public void Phi_BeforeFirstHeartbeat_IsZero()
    {
        var detector = NewDetector();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0.0, detector.Phi());
        Assert.True(detector.IsAvailable);
    }

    [Fact]
    public void Phi_AfterFirstHeartbeat_UsesSeededEstimate()
    {
        var detector = NewDetector();
        detector.Heartbeat();

        // Seeded intervals 750 ms and 1250 ms: mean 1000 ms, deviation 250 ms.
        _time.Advance(Second);
        Assert.Equal(AkkaPhi(1000, 1000, 250), detector.Phi(), 1e-9);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(AkkaPhi(1500, 1000, 250), detector.Phi(), 1e-9);
    }

    [Fact]
    public void Phi_NoHeartbeats_RisesAsTimePasses()
    {
        var detector = NewDetector();
        detector.Heartbeat();
        double previous = detector.Phi();
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(300));
            double phi = detector.Phi();
            Assert.True(phi > previous, $"phi {phi} after {(i + 1) * 300} ms is not above {previous}");
            previous = phi;
        }
    }

    [Fact]
    public void Phi_RegularHeartbeats_StaysLow()
    {
        var detector = NewDetector();
        for (int i = 0; i < 100; i++)
        {
            detector.Heartbeat();
            _time.Advance(TimeSpan.FromMilliseconds(i % 2 == 0 ? 950 : 1050));
            Assert.True(detector.Phi() < 1.0, $"phi {detector.Phi()} before heartbeat {i + 2}");
        }
    }

    [Fact]
    public void Phi_SteadyIntervals_CrossesThresholdAboutFiveDeviationsPastMean()
    {
        var detector = SteadyOneSecondDetector();
        _time.Advance(TimeSpan.FromMilliseconds(1500)); // y = 5
        Assert.True(detector.Phi() < 8.0, $"phi {detector.Phi()}");
        Assert.True(detector.IsAvailable);

        _time.Advance(TimeSpan.FromMilliseconds(60)); // y = 5.6
        Assert.True(detector.Phi() >= 8.0, $"phi {detector.Phi()}");
        Assert.False(detector.IsAvailable);
    }

    [Fact]
    public void Phi_OneSecondIntervalsAndSilenceOf1600Ms_IsAtLeastEight()
    {
        var detector = SteadyOneSecondDetector();
        _time.Advance(TimeSpan.FromMilliseconds(1600));
        Assert.Equal(AkkaPhi(1600, 1000, 100), detector.Phi(), 1e-9);
        Assert.True(detector.Phi() >= 8.0);
    }

    [Fact]
    public void Phi_AcceptablePause_ShiftsMean()
    {
        var detector = NewDetector(pauseSeconds: 1);
        detector.Heartbeat();
        _time.Advance(TimeSpan.FromMilliseconds(1600));
        Assert.Equal(AkkaPhi(1600, 2000, 250), detector.Phi(), 1e-9);
    }

    [Fact]
    public void Phi_HourOfSilence_IsFinite()
    {
        var detector = SteadyOneSecondDetector();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(double.IsFinite(detector.Phi()));
        Assert.True(detector.Phi() > 1000);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(400.0)]
    [InlineData(1000.0)]
    [InlineData(1300.0)]
    [InlineData(1600.0)]
    public void PhiOf_ModerateDelays_EqualsAkkaFormula(double elapsed)
    {
        Assert.Equal(AkkaPhi(elapsed, 1000, 100), PhiAccrualFailureDetector.PhiOf(elapsed, 1000, 100), 1e-9);
    }

    [Fact]
    public void Heartbeat_AfterOutage_DoesNotAddIntervalToHistory()
    {
        var detector = SteadyOneSecondDetector();
        _time.Advance(TimeSpan.FromSeconds(10));
        detector.Heartbeat();

        // Had the 10 s interval counted, the mean would be far above 1 s and 1.6 s would be no surprise.
        _time.Advance(TimeSpan.FromMilliseconds(1600));
        Assert.Equal(AkkaPhi(1600, 1000, 100), detector.Phi(), 1e-9);
    }

    [Fact]
    public void Heartbeat_HistoryFull_DropsOldestInterval()
    {
        var detector = NewDetector(maxSampleSize: 2);
        detector.Heartbeat(); // seeds 750, 1250
        _time.Advance(Second);
        detector.Heartbeat(); // 1250, 1000
        _time.Advance(Second);
        detector.Heartbeat(); // 1000, 1000: deviation 0, floored at 100 ms

        _time.Advance(TimeSpan.FromMilliseconds(1300));
        Assert.Equal(AkkaPhi(1300, 1000, 100), detector.Phi(), 1e-9);
    }

    [Fact]
    public void Constructor_InvalidSettings_Throw()
    {
        TimeSpan ms100 = TimeSpan.FromMilliseconds(100);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(0, 10, ms100, TimeSpan.Zero, Second, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 0, ms100, TimeSpan.Zero, Second, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 10, TimeSpan.Zero, TimeSpan.Zero, Second, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 10, ms100, TimeSpan.FromSeconds(-1), Second, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(8, 10, ms100, TimeSpan.Zero, TimeSpan.Zero, _time));
    }
}

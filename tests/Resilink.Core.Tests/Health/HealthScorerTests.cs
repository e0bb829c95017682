using Resilink.Health;

namespace Resilink.Core.Tests.Health;

public class HealthScorerTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Compute_DefaultsHalfLatencyHalfSuccessTwoOfFiveFailures_Is052()
    {
        var inputs = new HealthScoreInputs(HasRtt: true, TimeSpan.FromMilliseconds(500), PingSuccessRate: 0.5, RecentFailures: 2);
        HealthScore score = HealthScorer.Compute(new HealthOptions(), inputs);

        Assert.Equal(0.5, score.Latency, Tolerance);
        Assert.Equal(0.5, score.Success, Tolerance);
        Assert.Equal(0.6, score.Stability, Tolerance);
        Assert.Equal(0.52, score.Score, Tolerance);
    }

    [Fact]
    public void Compute_NoRtt_LatencyIsOne()
    {
        HealthScore score = HealthScorer.Compute(new HealthOptions(), new HealthScoreInputs(false, TimeSpan.FromSeconds(9), 1.0, 0));
        Assert.Equal(1.0, score.Latency);
        Assert.Equal(1.0, score.Score, Tolerance);
    }

    [Fact]
    public void Compute_RttAboveMax_LatencyIsZero()
    {
        HealthScore score = HealthScorer.Compute(new HealthOptions(), new HealthScoreInputs(true, TimeSpan.FromSeconds(3), 1.0, 0));
        Assert.Equal(0.0, score.Latency);
        Assert.Equal(0.6, score.Score, Tolerance);
    }

    [Fact]
    public void Compute_FailuresAboveMax_StabilityIsZero()
    {
        HealthScore score = HealthScorer.Compute(new HealthOptions(), new HealthScoreInputs(false, TimeSpan.Zero, 1.0, 9));
        Assert.Equal(0.0, score.Stability);
        Assert.Equal(0.8, score.Score, Tolerance);
    }

    [Fact]
    public void Compute_WeightsNotSummingToOne_AreNormalized()
    {
        var options = new HealthOptions { LatencyWeight = 1.0, SuccessRateWeight = 1.0, StabilityWeight = 0.0 };
        HealthScore score = HealthScorer.Compute(options, new HealthScoreInputs(true, TimeSpan.FromMilliseconds(500), 1.0, 5));
        Assert.Equal(0.75, score.Score, Tolerance);
    }

    [Fact]
    public void Compute_AllWeightsZero_Throws()
    {
        var options = new HealthOptions { LatencyWeight = 0, SuccessRateWeight = 0, StabilityWeight = 0 };
        Assert.Throws<ArgumentException>(() => HealthScorer.Compute(options, new HealthScoreInputs(false, TimeSpan.Zero, 1, 0)));
    }
}

using Resilink.Core.Tests.Health.Export;
using Resilink.Health;
using Resilink.Hosting;

namespace Resilink.EndToEnd.Tests.Hosting;

/// <summary>The documented rules of the <c>resilink</c> health check, one per case.</summary>
public sealed class ResilinkHealthRulesTests
{
    private static readonly ResilinkHealthCheckOptions Defaults = new();

    [Fact]
    public void NoPeersExpected_IsHealthy()
    {
        var (status, _) = ResilinkHealthRules.Evaluate(Summary(), [], Defaults);

        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public void EveryConfiguredPeerUpAndHealthy_IsHealthy()
    {
        var (status, _) = ResilinkHealthRules.Evaluate(
            Summary(Peer("a", HealthStatus.Healthy, HealthStatus.Healthy), Peer("b", HealthStatus.Healthy)), ["a", "b"], Defaults);

        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public void FreshConnectionsNotYetMeasured_CountAsUp()
    {
        var (status, _) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Unknown)), ["a"], Defaults);

        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public void ConfiguredPeerNotConnected_IsDegradedAndNamesIt()
    {
        var (status, description) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Healthy)), ["a", "b"], Defaults);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Contains("down: b", description, StringComparison.Ordinal);
    }

    [Fact]
    public void PeerWhoseConnectionsAreAllDead_IsDown()
    {
        var (status, description) = ResilinkHealthRules.Evaluate(
            Summary(Peer("a", HealthStatus.Healthy), Peer("b", HealthStatus.Dead, HealthStatus.Unhealthy)), ["a", "b"], Defaults);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Contains("1 of 2 peers up", description, StringComparison.Ordinal);
    }

    [Fact]
    public void OneConnectionDeadWhileItsPeerIsUp_IsDegraded()
    {
        var (status, description) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Healthy, HealthStatus.Dead)), ["a"], Defaults);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Contains("1 of 2 connections", description, StringComparison.Ordinal);
    }

    [Fact]
    public void LowAverageScore_IsDegraded()
    {
        var (status, _) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Degraded)), ["a"], new ResilinkHealthCheckOptions { DegradedScoreThreshold = 0.9 });

        Assert.Equal(HealthStatus.Degraded, status);
    }

    [Fact]
    public void EveryExpectedPeerDown_IsUnhealthy()
    {
        var (status, description) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Dead)), ["a", "b"], Defaults);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Contains("0 of 2 configured peers up", description, StringComparison.Ordinal);
    }

    [Fact]
    public void FewerPeersUpThanTheMinimum_IsUnhealthy()
    {
        var options = new ResilinkHealthCheckOptions { MinimumPeersUp = 2 };

        var (status, _) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Healthy)), ["a", "b", "c"], options);

        Assert.Equal(HealthStatus.Unhealthy, status);
    }

    [Fact]
    public void MinimumAboveTheExpectedCount_IsCappedAtIt()
    {
        var options = new ResilinkHealthCheckOptions { MinimumPeersUp = 5 };

        var (status, _) = ResilinkHealthRules.Evaluate(Summary(Peer("a", HealthStatus.Healthy)), ["a"], options);

        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public void ConnectedPeerThatIsNotConfigured_MakesTheNodeDegradedNeverUnhealthy()
    {
        var (status, _) = ResilinkHealthRules.Evaluate(Summary(Peer("client", HealthStatus.Dead)), [], Defaults);

        Assert.Equal(HealthStatus.Degraded, status);
    }

    [Fact]
    public void EveryConfiguredPeerDownWhileAClientIsUp_IsUnhealthy()
    {
        var (status, description) = ResilinkHealthRules.Evaluate(Summary(Peer("client", HealthStatus.Healthy)), ["a"], Defaults);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Contains("0 of 1 configured peers up", description, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshUnmeasuredConnection_DoesNotLiftALowAverage()
    {
        var options = new ResilinkHealthCheckOptions { DegradedScoreThreshold = 0.7 };

        // One measured connection at 0.6 and two fresh ones (Unknown, scored 1.0 as the library starts them) on the same peer.
        var (status, description) = ResilinkHealthRules.Evaluate(
            Summary(Peer("a", HealthStatus.Degraded, HealthStatus.Unknown, HealthStatus.Unknown)), ["a"], options);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Contains("0.60", description, StringComparison.Ordinal);
    }

    private static NetworkHealthSummary Summary(params PeerHealthSnapshot[] peers) => NetworkHealthSummary.Create(peers, DateTimeOffset.UnixEpoch);

    private static PeerHealthSnapshot Peer(string key, params HealthStatus[] connections) =>
        PeerHealthSnapshot.Aggregate(key, [.. connections.Select((status, i) => Connection(key, i, status))]);

    private static ConnectionHealthSnapshot Connection(string peer, int index, HealthStatus status) =>
        HealthSnapshotExamples.Connection(peer, $"{peer}-{index}") with
        {
            Status = status,
            // Unknown as the library starts a fresh connection: 1.0.
            Score = status switch { HealthStatus.Healthy => 0.95, HealthStatus.Degraded => 0.6, HealthStatus.Unknown => 1.0, _ => 0.1 },
            IsRoutable = status is HealthStatus.Healthy or HealthStatus.Degraded,
        };
}

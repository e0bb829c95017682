using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Resilink.Monitoring;
using Resilink.Resilience;
using Resilink.Telemetry.Tests.Support;

namespace Resilink.Telemetry.Tests.Monitoring;

public sealed class MetricsConnectionMonitorRecoveryTests
{
    [Fact]
    public void OnReconnect_FailuresThenSuccess_CountsEachAttemptAndOneReconnection()
    {
        using var h = new MonitorHarness();
        using var attempts = new MetricCollector<long>(h.Instruments.ReconnectAttempts);
        using var reconnections = new MetricCollector<long>(h.Instruments.Reconnections);

        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.Failure, 1));
        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.Failure, 2));
        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.Success, 3));

        Assert.Equal(new Dictionary<string, long> { ["failure"] = 2, ["success"] = 1 }, attempts.SumBy(ResilinkTagNames.Outcome));
        Assert.Equal(new Dictionary<string, long> { ["success"] = 1 }, reconnections.SumBy(ResilinkTagNames.Outcome));
    }

    [Fact]
    public void OnReconnect_GaveUp_CountsAReconnectionNotAnAttempt()
    {
        using var h = new MonitorHarness();
        using var attempts = new MetricCollector<long>(h.Instruments.ReconnectAttempts);
        using var reconnections = new MetricCollector<long>(h.Instruments.Reconnections);

        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.Failure, 1));
        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.GaveUp, 1));

        Assert.Equal(new Dictionary<string, long> { ["failure"] = 1 }, attempts.SumBy(ResilinkTagNames.Outcome));
        Assert.Equal(new Dictionary<string, long> { ["gave_up"] = 1 }, reconnections.SumBy(ResilinkTagNames.Outcome));
    }

    [Fact]
    public void OnReconnect_PerPeerMetricsOn_CarriesNoPeerTag()
    {
        using var h = new MonitorHarness(new ResilinkTelemetryOptions { PerPeerMetrics = true });
        using var attempts = new MetricCollector<long>(h.Instruments.ReconnectAttempts);

        h.Monitor.OnReconnect(new("peer-a", ReconnectOutcome.Success, 1));

        Assert.Equal(1, attempts.Sum((ResilinkTagNames.Outcome, "success")));
    }

    [Fact]
    public void OnConnectionReplacement_EachReason_CountsByReason()
    {
        using var h = new MonitorHarness();
        using var replacements = new MetricCollector<long>(h.Instruments.ConnectionReplacements);

        h.Monitor.OnConnectionReplacement(new("c1", "peer-a", ReplacementReason.Unhealthy));
        h.Monitor.OnConnectionReplacement(new("c2", "peer-a", ReplacementReason.Dead));
        h.Monitor.OnConnectionReplacement(new("c3", "peer-b", ReplacementReason.Dead));
        h.Monitor.OnConnectionReplacement(new("c4", "peer-b", ReplacementReason.Broken));

        Assert.Equal(
            new Dictionary<string, long> { ["unhealthy"] = 1, ["dead"] = 2, ["broken"] = 1 },
            replacements.SumBy(ResilinkTagNames.Reason));
    }

    [Fact]
    public void OnFailoverStateChanged_FailoverAndFailback_CountsByFromAndTo()
    {
        using var h = new MonitorHarness();
        using var transitions = new MetricCollector<long>(h.Instruments.FailoverTransitions);

        h.Monitor.OnFailoverStateChanged(new(FailoverState.Primary, FailoverState.FailingOver));
        h.Monitor.OnFailoverStateChanged(new(FailoverState.FailingOver, FailoverState.Secondary));
        h.Monitor.OnFailoverStateChanged(new(FailoverState.Secondary, FailoverState.FailingBack));
        h.Monitor.OnFailoverStateChanged(new(FailoverState.FailingBack, FailoverState.Primary));

        Assert.Equal(1, transitions.Sum((ResilinkTagNames.From, "failing_over"), (ResilinkTagNames.To, "secondary")));
        Assert.Equal(1, transitions.Sum((ResilinkTagNames.From, "failing_back"), (ResilinkTagNames.To, "primary")));
        Assert.Equal(4, transitions.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void OnCircuitBreakerStateChanged_OpensTwice_CountsTwoTrips()
    {
        using var h = new MonitorHarness();
        using var trips = new MetricCollector<long>(h.Instruments.CircuitBreakerTrips);

        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Open, CircuitState.HalfOpen));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.HalfOpen, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("b", CircuitState.Closed, CircuitState.Isolated));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Open, CircuitState.HalfOpen));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.HalfOpen, CircuitState.Closed));

        Assert.Equal(2, trips.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void OnCircuitBreakerStateChanged_OpenReportedTwice_CountsOneTrip()
    {
        using var h = new MonitorHarness();
        using var trips = new MetricCollector<long>(h.Instruments.CircuitBreakerTrips);

        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));
        h.Monitor.OnCircuitBreakerStateChanged(new("a", CircuitState.Closed, CircuitState.Open));

        Assert.Equal(1, trips.GetMeasurementSnapshot().Sum(m => m.Value));
    }
}

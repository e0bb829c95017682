using Microsoft.Extensions.Time.Testing;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Telemetry.Tests.Support;

/// <summary>One report of every kind, so that every instrument records at least once.</summary>
internal static class ScriptedReports
{
    public static void ReportEveryKind(IConnectionMonitor monitor, FakeTimeProvider time)
    {
        monitor.OnConnectionAttempt(new ConnectionAttemptEvent("peer-a", AttemptOutcome.Success, TimeSpan.FromMilliseconds(20), null, Inbound: false));
        monitor.OnConnectionAttempt(new ConnectionAttemptEvent("peer-b", AttemptOutcome.Failure, TimeSpan.FromMilliseconds(5), "refused", Inbound: true));
        monitor.OnConnectionAttempt(new ConnectionAttemptEvent("peer-c", AttemptOutcome.Timeout, TimeSpan.FromSeconds(30), "timeout", Inbound: false));

        monitor.OnConnectionStateChanged(new ConnectionStateEvent(null, "peer-a", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        monitor.OnConnectionStateChanged(new ConnectionStateEvent("c1", "peer-a", ConnectionState.Connecting, ConnectionState.Connected, null));
        monitor.OnConnectionStateChanged(new ConnectionStateEvent(null, "peer-b", ConnectionState.Disconnected, ConnectionState.Connecting, null));
        monitor.OnConnectionStateChanged(new ConnectionStateEvent("c2", "peer-b", ConnectionState.Connecting, ConnectionState.Connected, null));
        time.Advance(TimeSpan.FromSeconds(90));
        monitor.OnConnectionStateChanged(new ConnectionStateEvent("c1", "peer-a", ConnectionState.Connected, ConnectionState.Disconnecting, "idle"));
        monitor.OnConnectionStateChanged(new ConnectionStateEvent("c1", "peer-a", ConnectionState.Disconnecting, ConnectionState.Disconnected, null));

        monitor.OnRttSample(new RttSampleEvent("c2", "peer-b", TimeSpan.FromMilliseconds(12)));
        monitor.OnBytesTransferred(new BytesTransferredEvent("c2", "peer-b", BytesIn: 1000, BytesOut: 500));
        monitor.OnStream(new StreamEvent("c2", "peer-b", StreamOutcome.Opened, null));
        monitor.OnStream(new StreamEvent("c2", "peer-b", StreamOutcome.Failed, "protocol_not_supported"));
        monitor.OnStream(new StreamEvent("c2", "peer-b", StreamOutcome.Reset, "reset"));
        monitor.OnError(new ConnectionErrorEvent("c2", "peer-b", "timeout", "ping timed out"));
        monitor.OnCircuitBreakerStateChanged(new CircuitBreakerEvent("peer-c", CircuitState.Closed, CircuitState.Open));
        monitor.OnPeer(new PeerEvent("peer-a", PeerChange.Discovered, "dial"));
        monitor.OnPeer(new PeerEvent("peer-a", PeerChange.Connected, null));
        monitor.OnPeer(new PeerEvent("peer-b", PeerChange.Connected, null));
        monitor.OnPeer(new PeerEvent("peer-a", PeerChange.Lost, null));
        monitor.OnMessage(new MessageEvent("peer-b", "ping", 128, TimeSpan.FromMilliseconds(3), Outbound: true));
        monitor.OnMessage(new MessageEvent("peer-b", "ping", 64, null, Outbound: false));
        monitor.OnBufferedMessages(new BufferedMessagesEvent("peer-c", 3));
        monitor.OnPoolUtilization(new PoolUtilizationEvent("default", InUse: 3, Capacity: 4));
        monitor.OnHealthStatusChanged(new HealthStatusEvent("c2", "peer-b", HealthStatus.Unknown, HealthStatus.Healthy, 1.0));
        monitor.OnHealthStatusChanged(new HealthStatusEvent("c2", "peer-b", HealthStatus.Healthy, HealthStatus.Degraded, 0.6));
        monitor.OnReconnect(new ReconnectEvent("peer-a", ReconnectOutcome.Failure, 1));
        monitor.OnReconnect(new ReconnectEvent("peer-a", ReconnectOutcome.Success, 2));
        monitor.OnConnectionReplacement(new ConnectionReplacementEvent("c2", "peer-b", ReplacementReason.Dead));
        monitor.OnFailoverStateChanged(new FailoverEvent(FailoverState.Primary, FailoverState.FailingOver));
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilink.Alerting;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Net.Host;

namespace Resilink.Hosting;

/// <summary>
/// Runs the node's self-check (<see cref="ServiceHealthMonitor"/> over the <c>resilink</c> health check and the
/// connection count) and turns connection health changes into alerts: a connection that turns Unhealthy or Dead
/// raises <see cref="ConnectionUnhealthyRule"/> for its peer, resolved when the peer has a healthy connection again.
/// </summary>
internal sealed class ResilinkAlertingService(
    Libp2pHost host, ServiceHealthMonitor serviceHealth, ResilinkHealthCheck selfCheck, IOptions<ResilinkNodeOptions> options)
    : IHostedService
{
    public const string ServiceName = "resilink-node";

    public static readonly AlertRule ConnectionUnhealthyRule = new("ResilinkConnectionUnhealthy", MonitoringLevel.Warning)
    {
        Description = "A connection to a peer turned Unhealthy or Dead; it is being replaced.",
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        serviceHealth.AddService(ServiceName, selfCheck, () => host.GetConnections().Count);
        serviceHealth.Start();
        host.HealthStatusChanged += OnHealthStatusChanged;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        host.HealthStatusChanged -= OnHealthStatusChanged;
        await serviceHealth.DisposeAsync().ConfigureAwait(false);
        await serviceHealth.Alerts.DisposeAsync().ConfigureAwait(false);
    }

    private void OnHealthStatusChanged(object? sender, HealthStatusChangedEventArgs e)
    {
        var service = $"{ServiceName}/{e.PeerKey}";
        if (e.Current is HealthStatus.Unhealthy or HealthStatus.Dead)
        {
            serviceHealth.Alerts.Raise(
                ConnectionUnhealthyRule,
                service,
                $"Connection {e.ConnectionId} to {e.PeerKey} is {e.Current}: {e.Reason}",
                new Dictionary<string, string> { ["peer"] = e.PeerKey, ["connection"] = e.ConnectionId, ["node"] = options.Value.NodeName ?? host.PeerId.ToString() });
        }
        else if (e.Current == HealthStatus.Healthy)
        {
            serviceHealth.Alerts.Resolve(ConnectionUnhealthyRule.Name, service);
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Health;
using Resilink.Net.Host;

namespace Resilink.Hosting;

/// <summary>
/// An ASP.NET Core health check over the node's connections: Healthy when every connected peer has a healthy
/// connection, Degraded when some peer is Unhealthy or Dead, Unhealthy when peers are configured but none is connected.
/// </summary>
internal sealed class ResilinkHealthCheck(Libp2pHost host, Microsoft.Extensions.Options.IOptions<ResilinkNodeOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        NetworkHealthSummary summary = host.GetNetworkHealthSummary();
        var data = new Dictionary<string, object>
        {
            ["peers"] = summary.TotalPeers,
            ["connections"] = summary.TotalConnections,
            ["averageHealth"] = summary.AverageHealth,
            ["unhealthyPeers"] = summary.UnhealthyPeers.Count,
        };
        HealthCheckResult result = (summary.TotalPeers, summary.UnhealthyPeers.Count, options.Value.Peers.Count) switch
        {
            (0, _, > 0) => HealthCheckResult.Unhealthy("No peer is connected.", data: data),
            (_, > 0, _) => HealthCheckResult.Degraded($"{summary.UnhealthyPeers.Count} of {summary.TotalPeers} peers are unhealthy.", data: data),
            _ => HealthCheckResult.Healthy($"{summary.TotalPeers} peers, {summary.TotalConnections} connections.", data: data),
        };
        return Task.FromResult(result);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Hosting;

/// <summary>
/// The <c>resilink</c> ASP.NET Core health check: the node's network health summary judged by
/// <see cref="ResilinkHealthRules"/> with the thresholds of <see cref="ResilinkHealthCheckOptions"/>. When the rules
/// say Unhealthy it reports the registration's failure status (Unhealthy unless the registration says otherwise), as
/// the checks of the AspNetCore.Diagnostics.HealthChecks packages do.
/// </summary>
internal sealed class ResilinkHealthCheck(Libp2pHost host, ResilinkNodeOptions node, ResilinkHealthCheckOptions options) : IHealthCheck
{
    // Parsed once: the validator has already refused peers that are not multiaddrs ending in /p2p/<id>.
    private readonly string[] _configuredPeers = [.. node.Peers
        .Select(address => Multiaddr.TryParse(address, out var parsed) ? parsed.PeerIdBytes : null)
        .OfType<ReadOnlyMemory<byte>>()
        .Select(bytes => PeerId.FromBytes(bytes.Span).ToString())];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        NetworkHealthSummary summary = host.GetNetworkHealthSummary();
        var (status, description) = ResilinkHealthRules.Evaluate(summary, _configuredPeers, options);
        var data = new Dictionary<string, object>
        {
            ["peers"] = summary.TotalPeers,
            ["connections"] = summary.TotalConnections,
            ["averageHealth"] = summary.AverageHealth,
            ["unhealthyPeers"] = summary.UnhealthyPeers.Count,
        };
        var reported = ResilinkHealthRules.ToAspNetCore(status);
        if (reported == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy && context.Registration is { } registration)
        {
            reported = registration.FailureStatus;
        }
        return Task.FromResult(new HealthCheckResult(reported, description, data: data));
    }
}

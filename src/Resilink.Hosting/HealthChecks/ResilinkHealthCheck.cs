using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Resilink.Health;
using Resilink.Net.Addressing;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Hosting;

/// <summary>
/// The <c>resilink</c> ASP.NET Core health check: the node's network health summary judged by
/// <see cref="ResilinkHealthRules"/> with the thresholds of <see cref="ResilinkHealthCheckOptions"/>.
/// </summary>
internal sealed class ResilinkHealthCheck(
    Libp2pHost host, IOptions<ResilinkNodeOptions> node, IOptions<ResilinkHealthCheckOptions> options) : IHealthCheck
{
    // Parsed once: the validator has already refused peers that are not multiaddrs ending in /p2p/<id>.
    private readonly string[] _configuredPeers = [.. node.Value.Peers
        .Select(address => Multiaddr.TryParse(address, out var parsed) ? parsed.PeerIdBytes : null)
        .OfType<ReadOnlyMemory<byte>>()
        .Select(bytes => PeerId.FromBytes(bytes.Span).ToString())];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        NetworkHealthSummary summary = host.GetNetworkHealthSummary();
        var (status, description) = ResilinkHealthRules.Evaluate(summary, _configuredPeers, options.Value);
        var data = new Dictionary<string, object>
        {
            ["peers"] = summary.TotalPeers,
            ["connections"] = summary.TotalConnections,
            ["averageHealth"] = summary.AverageHealth,
            ["unhealthyPeers"] = summary.UnhealthyPeers.Count,
        };
        return Task.FromResult(new HealthCheckResult(ResilinkHealthRules.ToAspNetCore(status), description, data: data));
    }
}

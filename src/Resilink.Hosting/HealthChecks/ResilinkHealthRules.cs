using System.Globalization;
using Resilink.Health;

namespace Resilink.Hosting;

/// <summary>The rules of <see cref="ResilinkHealthCheckOptions"/>, as a pure function of the network's health.</summary>
public static class ResilinkHealthRules
{
    /// <summary>Evaluates the rules.</summary>
    /// <param name="summary">The network health summary (connected peers only).</param>
    /// <param name="configuredPeers">Peer IDs the node is configured to keep connected, whether connected or not.</param>
    /// <param name="options">The thresholds.</param>
    /// <returns>The status and a one-line description naming the peers that decided it.</returns>
    public static (HealthStatus Status, string Description) Evaluate(
        NetworkHealthSummary summary, IReadOnlyCollection<string> configuredPeers, ResilinkHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(configuredPeers);
        ArgumentNullException.ThrowIfNull(options);

        var connected = summary.Peers.ToDictionary(p => p.PeerKey, StringComparer.Ordinal);
        var configured = new SortedSet<string>(configuredPeers, StringComparer.Ordinal);
        var expected = new SortedSet<string>(configured, StringComparer.Ordinal);
        expected.UnionWith(connected.Keys);
        if (expected.Count == 0)
        {
            return (HealthStatus.Healthy, "No peers expected.");
        }
        var down = expected.Where(peer => !connected.TryGetValue(peer, out var snapshot) || !IsUp(snapshot)).ToList();
        var up = expected.Count - down.Count;

        // Only the configured peers are the node's job: a client that connected on its own and went away makes the
        // node Degraded at most, never Unhealthy (an orchestrator would restart a server for its client's fault).
        var configuredUp = configured.Count(peer => connected.TryGetValue(peer, out var snapshot) && IsUp(snapshot));
        var required = Math.Min(Math.Max(options.MinimumPeersUp, 0), configured.Count);
        if (configuredUp < required)
        {
            return (HealthStatus.Unhealthy, $"{configuredUp} of {configured.Count} configured peers up (need {required}); down: {Names(down)}.");
        }
        if (down.Count > 0)
        {
            return (HealthStatus.Degraded, $"{up} of {expected.Count} peers up; down: {Names(down)}.");
        }
        var failing = summary.ConnectionsByStatus.GetValueOrDefault(HealthStatus.Unhealthy) + summary.ConnectionsByStatus.GetValueOrDefault(HealthStatus.Dead);
        if (failing > 0)
        {
            return (HealthStatus.Degraded, $"{failing} of {summary.TotalConnections} connections Unhealthy or Dead, being replaced.");
        }
        // Scores of measured connections only: a fresh connection starts at 1.0 and would hide the others' low scores.
        var measured = summary.Peers.SelectMany(p => p.Connections).Where(c => c.Status != HealthStatus.Unknown).ToList();
        if (measured.Count > 0 && measured.Average(c => c.Score) is var average && average < options.DegradedScoreThreshold)
        {
            return (HealthStatus.Degraded, string.Create(CultureInfo.InvariantCulture,
                $"Average connection score {average:0.00} is below {options.DegradedScoreThreshold:0.00}."));
        }
        return (HealthStatus.Healthy, $"{up} peers up, {summary.TotalConnections} connections.");
    }

    /// <summary>Maps a Resilink status to the ASP.NET Core one.</summary>
    /// <param name="status">Healthy, Degraded or Unhealthy (anything else is Unhealthy).</param>
    /// <returns>The ASP.NET Core status.</returns>
    public static Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus ToAspNetCore(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
        HealthStatus.Degraded => Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded,
        _ => Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy,
    };

    // Unknown counts as up: connected and not yet proven bad (a fresh connection before its first ping).
    private static bool IsUp(PeerHealthSnapshot peer) =>
        peer.Connections.Any(c => c.Status is HealthStatus.Healthy or HealthStatus.Degraded or HealthStatus.Unknown);

    private static string Names(List<string> peers) =>
        peers.Count <= 3 ? string.Join(", ", peers) : $"{string.Join(", ", peers.Take(3))} and {peers.Count - 3} more";
}

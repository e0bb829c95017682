namespace Resilink.Hosting;

/// <summary>
/// The thresholds of the <c>resilink</c> ASP.NET Core health check. The rules, first match wins (see
/// <see cref="ResilinkHealthRules"/>); a peer is <em>expected</em> when it is configured in
/// <see cref="ResilinkNodeOptions.Peers"/> or connected, and <em>up</em> when one of its connections is Healthy,
/// Degraded or not yet measured (Unknown):
/// <list type="number">
/// <item><b>Unhealthy</b> when fewer than <see cref="MinimumPeersUp"/> of the configured peers are up: the node cannot
/// do its job, so a load balancer or orchestrator should take it out. Peers that are connected but not configured (clients
/// that dialed in) never make the node Unhealthy.</item>
/// <item><b>Degraded</b> when an expected peer is down, a connection is Unhealthy or Dead (it is being replaced), or the
/// average score of the measured connections is below <see cref="DegradedScoreThreshold"/>: still serving, worth a look.</item>
/// <item><b>Healthy</b> otherwise, including a node that expects no peers.</item>
/// </list>
/// </summary>
public sealed class ResilinkHealthCheckOptions
{
    /// <summary>
    /// How many configured peers must be up for the node not to be Unhealthy; capped at the number of configured peers
    /// (so a node with none configured is never Unhealthy). Default: 1 (Unhealthy only when every configured peer is down).
    /// </summary>
    public int MinimumPeersUp { get; set; } = 1;

    /// <summary>The average connection health score (0–1) below which the node is Degraded. Default: 0.5.</summary>
    public double DegradedScoreThreshold { get; set; } = 0.5;

}

using Resilink.Balancing;
using Resilink.Health;
using Resilink.Net.Host;

namespace Resilink.Cli.Demo;

/// <summary>
/// What one demo run does (from the command line) and the host settings every host of the swarm gets.
/// </summary>
/// <param name="Peers">Hosts in the swarm, 2–16.</param>
/// <param name="Duration">How long the load runs.</param>
/// <param name="Strategy">One strategy for every host, or null to give hosts the <see cref="MixedStrategies"/> in turn.</param>
/// <param name="Seed">Seed of the fault schedule.</param>
internal sealed record DemoSettings(int Peers, TimeSpan Duration, LoadBalancingStrategyKind? Strategy, int Seed)
{
    /// <summary>The strategies hosts get in turn by default, so the summary compares them under the same faults.</summary>
    public static readonly LoadBalancingStrategyKind[] MixedStrategies =
    [
        LoadBalancingStrategyKind.RoundRobin,
        LoadBalancingStrategyKind.LeastLoaded,
        LoadBalancingStrategyKind.LatencyBased,
        LoadBalancingStrategyKind.HealthBased,
        LoadBalancingStrategyKind.PowerOfTwoChoices,
    ];

    /// <summary>The strategy of host <paramref name="index"/>.</summary>
    public LoadBalancingStrategyKind StrategyOf(int index) => Strategy ?? MixedStrategies[index % MixedStrategies.Length];

    /// <summary>
    /// Host options for the demo: <see cref="ConnectionProfiles.Development"/> with health checks every second so faults
    /// show within a short run. The ping timeout (2 s) and a 1 s pause tolerated by the failure detector leave room for
    /// a loaded machine, so only the injected faults turn connections Dead. Degraded above 150 ms RTT, so +200 ms shows
    /// (local pings take about 1 ms). Identify is off so a host knows its peers only by the proxy address it dialed, and
    /// a replacement goes through the proxy again (faultable like the connection it replaces); the listener, knowing no
    /// address of its dialer, never dials back.
    /// </summary>
    public Libp2pHostOptions HostOptions(int index)
    {
        var options = ConnectionProfiles.Development();
        options.Connections.MaxConnectionsPerPeer = FaultSchedule.ConnectionsPerPair;
        options.Connections.LoadBalancingStrategy = StrategyOf(index);
        options.Health = new HealthOptions
        {
            EnableHealthMonitoring = true,
            HealthCheckInterval = TimeSpan.FromSeconds(1),
            PingTimeout = TimeSpan.FromSeconds(2),
            PhiAcceptableHeartbeatPause = TimeSpan.FromSeconds(1),
            MaxPingLatency = TimeSpan.FromMilliseconds(150),
            FailureThreshold = 2,
            RecoveryThreshold = 2,
            DrainTimeout = TimeSpan.FromSeconds(3),
        };
        options.StreamNegotiationTimeout = TimeSpan.FromSeconds(2);
        options.IdentifyOnConnect = false;
        return options;
    }
}

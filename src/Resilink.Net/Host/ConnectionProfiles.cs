using Resilink.Balancing;
using Resilink.Connections;
using Resilink.Health;
using Resilink.Resilience;

namespace Resilink.Net.Host;

/// <summary>
/// Named starting points for <see cref="Libp2pHostOptions"/>, from the seed documents' tuning advice: intervals, timeouts,
/// thresholds, retry and reconnect backoff chosen together for one kind of deployment. Each call returns a new, mutable
/// instance: start from a profile and change what your network needs.
/// </summary>
/// <example>
/// <code>
/// var options = ConnectionProfiles.Production();
/// options.Health.HealthCheckInterval = TimeSpan.FromSeconds(30); // detect faster than the profile's 2 min
/// await using var host = new Libp2pHost(options);
/// </code>
/// </example>
public static class ConnectionProfiles
{
    /// <summary>
    /// A local machine or a test network: fast feedback over patience. Few, quick retries (2, from 10 ms capped at 100 ms,
    /// the seed's development example) so a typo in an address fails in well under a second; health checks every 2 s with
    /// a 1 s ping timeout and two evaluations to change status, so a fault shows within seconds while you watch; short
    /// connect (5 s), negotiation (5 s) and drain (2 s) timeouts; least loaded routing. No circuit breaker: while
    /// developing you want every dial to really happen.
    /// </summary>
    /// <returns>New options with the development settings.</returns>
    public static Libp2pHostOptions Development() => new()
    {
        Connections = new ConnectionOptions
        {
            MaxConnectionsPerPeer = 3,
            MinConnectionsPerPeer = 1,
            ConnectionTimeout = TimeSpan.FromSeconds(5),
            LoadBalancingStrategy = LoadBalancingStrategyKind.LeastLoaded,
            Retry = new RetryOptions { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100) },
        },
        Health = new HealthOptions
        {
            EnableHealthMonitoring = true,
            HealthCheckInterval = TimeSpan.FromSeconds(2),
            PingTimeout = TimeSpan.FromSeconds(1),
            FailureThreshold = 2,
            RecoveryThreshold = 2,
            DrainTimeout = TimeSpan.FromSeconds(2),
        },
        Reconnect = new ReconnectOptions { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(1) },
        StreamNegotiationTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// A data-centre or cloud deployment, after the seeds' production example: more connections for redundancy (up to 5,
    /// at least 3 kept), health-based routing with a stricter floor (<see cref="HealthOptions.MinHealthThreshold"/> 0.6)
    /// so a connection is replaced before it is bad; health checks every 2 min with a 10 s ping timeout (pings cost little
    /// at that rate even with thousands of connections, and failed streams and closed sockets are still noticed at once);
    /// moderate retry (5, from 100 ms capped at 60 s) and the default reconnect backoff; the per-peer circuit breaker on,
    /// so a dead peer is not hammered by every caller.
    /// </summary>
    /// <returns>New options with the production settings.</returns>
    public static Libp2pHostOptions Production() => new()
    {
        Connections = new ConnectionOptions
        {
            MaxConnectionsPerPeer = 5,
            MinConnectionsPerPeer = 3,
            ConnectionTimeout = TimeSpan.FromSeconds(30),
            LoadBalancingStrategy = LoadBalancingStrategyKind.HealthBased,
            Retry = new RetryOptions { MaxRetries = 5, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(60) },
        },
        Health = new HealthOptions
        {
            EnableHealthMonitoring = true,
            HealthCheckInterval = TimeSpan.FromMinutes(2),
            PingTimeout = TimeSpan.FromSeconds(10),
            MinHealthThreshold = 0.6,
        },
        CircuitBreaker = new CircuitBreakerOptions { Enabled = true },
        Reconnect = new ReconnectOptions(),
    };

    /// <summary>
    /// Long or lossy links (satellite, intercontinental, mobile), after the seeds' high-latency example: patient retry (8,
    /// from 500 ms capped at 2 min) and reconnect backoff (from 500 ms capped at 2 min); long connect (60 s), handshake
    /// (30 s) and negotiation (30 s) timeouts; health checks every 30 s with a 15 s ping timeout, a 2 s RTT limit before a
    /// connection counts as Degraded, and three evaluations to change status, so a slow but working link is not churned;
    /// latency-based routing, which prefers the fastest of several slow links.
    /// </summary>
    /// <returns>New options with the high-latency settings.</returns>
    public static Libp2pHostOptions HighLatency() => new()
    {
        Connections = new ConnectionOptions
        {
            MaxConnectionsPerPeer = 3,
            MinConnectionsPerPeer = 1,
            ConnectionTimeout = TimeSpan.FromSeconds(60),
            LoadBalancingStrategy = LoadBalancingStrategyKind.LatencyBased,
            Retry = new RetryOptions { MaxRetries = 8, InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromMinutes(2) },
        },
        Health = new HealthOptions
        {
            EnableHealthMonitoring = true,
            HealthCheckInterval = TimeSpan.FromSeconds(30),
            PingTimeout = TimeSpan.FromSeconds(15),
            MaxPingLatency = TimeSpan.FromSeconds(2),
            FailureThreshold = 3,
            RecoveryThreshold = 3,
        },
        Reconnect = new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromMinutes(2) },
        InboundHandshakeTimeout = TimeSpan.FromSeconds(30),
        StreamNegotiationTimeout = TimeSpan.FromSeconds(30),
    };
}

using Resilink.Balancing;

namespace Resilink.Connections;

/// <summary>Defaults of <see cref="ConnectionOptions"/>.</summary>
public static class ConnectionConstants
{
    /// <summary>Default <see cref="ConnectionOptions.MaxConnectionsPerPeer"/>: 3.</summary>
    public const int DefaultMaxConnectionsPerPeer = 3;

    /// <summary>Default <see cref="ConnectionOptions.MinConnectionsPerPeer"/>: 1.</summary>
    public const int DefaultMinConnectionsPerPeer = 1;

    /// <summary>Default <see cref="ConnectionOptions.LoadBalancingStrategy"/>: round robin.</summary>
    public const LoadBalancingStrategyKind DefaultLoadBalancingStrategy = LoadBalancingStrategyKind.RoundRobin;

    /// <summary>Default <see cref="ConnectionOptions.ConnectionTimeout"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultConnectionTimeout = TimeSpan.FromSeconds(30);
}

namespace Resilink.Health;

/// <summary>One peer's connections and their aggregate health. Immutable.</summary>
public sealed record PeerHealthSnapshot
{
    /// <summary>Gets the peer (or endpoint).</summary>
    public required string PeerKey { get; init; }

    /// <summary>Gets the peer's aggregate status: the best status among its connections; <see cref="HealthStatus.Dead"/> with none.</summary>
    public required HealthStatus Status { get; init; }

    /// <summary>Gets the mean score of the connections; 0 with none.</summary>
    public required double AverageScore { get; init; }

    /// <summary>Gets the lowest score of the connections; 0 with none.</summary>
    public required double MinScore { get; init; }

    /// <summary>Gets the highest score of the connections; 0 with none.</summary>
    public required double MaxScore { get; init; }

    /// <summary>Gets how many connections are <see cref="HealthStatus.Healthy"/>.</summary>
    public required int HealthyConnections { get; init; }

    /// <summary>Gets the connections, in the order the swarm keeps them.</summary>
    public required IReadOnlyList<ConnectionHealthSnapshot> Connections { get; init; }

    /// <summary>Builds the aggregate over <paramref name="connections"/>.</summary>
    /// <param name="peerKey">The peer.</param>
    /// <param name="connections">Its connections' snapshots.</param>
    /// <returns>The aggregate.</returns>
    public static PeerHealthSnapshot Aggregate(string peerKey, IReadOnlyList<ConnectionHealthSnapshot> connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (connections.Count == 0)
        {
            return new PeerHealthSnapshot
            {
                PeerKey = peerKey, Status = HealthStatus.Dead, AverageScore = 0, MinScore = 0, MaxScore = 0,
                HealthyConnections = 0, Connections = connections,
            };
        }

        double sum = 0, min = double.MaxValue, max = double.MinValue;
        int healthy = 0;
        HealthStatus best = HealthStatus.Dead;
        foreach (ConnectionHealthSnapshot c in connections)
        {
            sum += c.Score;
            min = Math.Min(min, c.Score);
            max = Math.Max(max, c.Score);
            healthy += c.Status == HealthStatus.Healthy ? 1 : 0;
            best = Better(best, c.Status);
        }

        return new PeerHealthSnapshot
        {
            PeerKey = peerKey, Status = best, AverageScore = sum / connections.Count, MinScore = min, MaxScore = max,
            HealthyConnections = healthy, Connections = connections,
        };
    }

    // Unknown ranks between Degraded and Unhealthy: not proven bad, not proven good.
    private static HealthStatus Better(HealthStatus a, HealthStatus b) => Rank(a) <= Rank(b) ? a : b;

    private static int Rank(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        HealthStatus.Unknown => 2,
        HealthStatus.Unhealthy => 3,
        _ => 4,
    };
}

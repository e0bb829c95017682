namespace Resilink.Health;

/// <summary>The health of every connection at one moment, summed up. Immutable.</summary>
public sealed record NetworkHealthSummary
{
    /// <summary>Gets when the summary was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the peers with at least one connection.</summary>
    public required int TotalPeers { get; init; }

    /// <summary>Gets the connections across all peers.</summary>
    public required int TotalConnections { get; init; }

    /// <summary>Gets the mean score over all connections; 0 with none.</summary>
    public required double AverageHealth { get; init; }

    /// <summary>Gets the lowest score of any connection; 0 with none.</summary>
    public required double MinHealth { get; init; }

    /// <summary>Gets the number of connections in each status (every status present, zeros included).</summary>
    public required IReadOnlyDictionary<HealthStatus, int> ConnectionsByStatus { get; init; }

    /// <summary>Gets the peers whose aggregate status is <see cref="HealthStatus.Unhealthy"/> or <see cref="HealthStatus.Dead"/>.</summary>
    public required IReadOnlyList<string> UnhealthyPeers { get; init; }

    /// <summary>Gets every peer's snapshot.</summary>
    public required IReadOnlyList<PeerHealthSnapshot> Peers { get; init; }

    /// <summary>Builds the summary over <paramref name="peers"/>.</summary>
    /// <param name="peers">Every peer's snapshot.</param>
    /// <param name="timestamp">When it was taken.</param>
    /// <returns>The summary.</returns>
    public static NetworkHealthSummary Create(IReadOnlyList<PeerHealthSnapshot> peers, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var byStatus = Enum.GetValues<HealthStatus>().ToDictionary(s => s, _ => 0);
        var unhealthy = new List<string>();
        int connections = 0;
        double sum = 0, min = double.MaxValue;
        foreach (PeerHealthSnapshot peer in peers)
        {
            if (peer.Status is HealthStatus.Unhealthy or HealthStatus.Dead)
            {
                unhealthy.Add(peer.PeerKey);
            }

            foreach (ConnectionHealthSnapshot c in peer.Connections)
            {
                connections++;
                sum += c.Score;
                min = Math.Min(min, c.Score);
                byStatus[c.Status]++;
            }
        }

        return new NetworkHealthSummary
        {
            Timestamp = timestamp,
            TotalPeers = peers.Count,
            TotalConnections = connections,
            AverageHealth = connections == 0 ? 0 : sum / connections,
            MinHealth = connections == 0 ? 0 : min,
            ConnectionsByStatus = byStatus,
            UnhealthyPeers = unhealthy,
            Peers = peers,
        };
    }
}

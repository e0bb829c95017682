namespace Resilink.Health;

/// <summary>Turns health snapshots into the records of the JSON export's schema (<see cref="NetworkHealthJson"/>).</summary>
internal static class HealthJsonMapper
{
    /// <summary>Maps <paramref name="summary"/> and everything in it.</summary>
    public static NetworkHealthJson ToJson(NetworkHealthSummary summary) => new(
        summary.Timestamp,
        summary.TotalPeers,
        summary.TotalConnections,
        summary.AverageHealth,
        summary.MinHealth,
        HealthWireNames.EveryStatus(summary.ConnectionsByStatus)
            .ToDictionary(pair => HealthWireNames.Of(pair.Key), pair => pair.Value),
        summary.UnhealthyPeers,
        summary.Peers.Select(ToJson).ToArray());

    private static PeerHealthJson ToJson(PeerHealthSnapshot peer) => new(
        peer.PeerKey,
        HealthWireNames.Of(peer.Status),
        peer.AverageScore,
        peer.MinScore,
        peer.MaxScore,
        peer.HealthyConnections,
        peer.Connections.Select(ToJson).ToArray());

    private static ConnectionHealthJson ToJson(ConnectionHealthSnapshot c) => new(
        c.ConnectionId,
        c.PeerKey,
        HealthWireNames.Of(c.Status),
        c.Score,
        c.LatencyScore,
        c.SuccessScore,
        c.StabilityScore,
        c.Phi,
        ToJson(c.Rtt),
        c.PingsSent,
        c.PingsFailed,
        c.PingSuccessRate,
        c.ConsecutivePingFailures,
        c.ActiveStreams,
        c.StreamsOpened,
        c.FailedStreams,
        c.OpenedAt,
        c.Age.TotalSeconds,
        ToJson(c.Bandwidth),
        c.LastStatusChange,
        c.IsRoutable,
        c.RecentErrors.Select(e => new HealthErrorJson(e.Timestamp, e.Type, e.Message)).ToArray(),
        c.RecentEvents.Select(e => new LifecycleEventJson(e.Timestamp, HealthWireNames.Of(e.Kind), e.Detail)).ToArray());

    private static RttJson ToJson(RttStatistics rtt) => new(
        rtt.Last.TotalSeconds,
        rtt.Average.TotalSeconds,
        rtt.P50.TotalSeconds,
        rtt.P95.TotalSeconds,
        rtt.P99.TotalSeconds,
        rtt.SampleCount);

    private static BandwidthJson ToJson(BandwidthStatistics b) => new(
        b.BytesIn,
        b.BytesOut,
        b.CurrentIn,
        b.CurrentOut,
        b.AverageIn,
        b.AverageOut,
        b.PeakIn,
        b.PeakOut,
        b.Window.TotalSeconds);
}

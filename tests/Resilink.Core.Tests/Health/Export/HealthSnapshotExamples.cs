using Resilink.Health;

namespace Resilink.Core.Tests.Health.Export;

/// <summary>Hand-built health snapshots with distinct, easily recognised values for the export tests.</summary>
internal static class HealthSnapshotExamples
{
    public static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static ConnectionHealthSnapshot Connection(string peerKey, string connectionId) => new()
    {
        ConnectionId = connectionId,
        PeerKey = peerKey,
        Status = HealthStatus.Healthy,
        Score = 0.875,
        LatencyScore = 0.9,
        SuccessScore = 0.95,
        StabilityScore = 0.6,
        Phi = 0.25,
        Rtt = new RttStatistics(
            Last: TimeSpan.FromMilliseconds(12),
            Average: TimeSpan.FromMilliseconds(10),
            P50: TimeSpan.FromMilliseconds(9),
            P95: TimeSpan.FromMilliseconds(20),
            P99: TimeSpan.FromMilliseconds(31),
            SampleCount: 40),
        PingsSent = 42,
        PingsFailed = 2,
        PingSuccessRate = 0.95,
        ConsecutivePingFailures = 1,
        ActiveStreams = 3,
        StreamsOpened = 17,
        FailedStreams = 4,
        OpenedAt = Now - TimeSpan.FromSeconds(90.5),
        Age = TimeSpan.FromSeconds(90.5),
        Bandwidth = new BandwidthStatistics(
            BytesIn: 1000, BytesOut: 2000, CurrentIn: 10.5, CurrentOut: 20.25, AverageIn: 8, AverageOut: 16,
            PeakIn: 100, PeakOut: 200, Window: TimeSpan.FromSeconds(60)),
        LastStatusChange = Now - TimeSpan.FromSeconds(30),
        IsRoutable = true,
        RecentErrors = [new HealthError(Now - TimeSpan.FromSeconds(20), "ping_timeout", "no answer within 5 s")],
        RecentEvents =
        [
            new ConnectionLifecycleEvent(Now - TimeSpan.FromSeconds(90.5), ConnectionEventKind.Opened, ""),
            new ConnectionLifecycleEvent(Now - TimeSpan.FromSeconds(30), ConnectionEventKind.StatusChanged, "Healthy"),
        ],
    };

    /// <summary>peer-a with a healthy a1 and a degraded a2; peer-b with one dead connection that never answered.</summary>
    public static NetworkHealthSummary TwoPeers()
    {
        ConnectionHealthSnapshot a1 = Connection("peer-a", "a1");
        ConnectionHealthSnapshot a2 = Connection("peer-a", "a2") with { Status = HealthStatus.Degraded, Score = 0.5 };
        ConnectionHealthSnapshot b1 = NeverAnswered("peer-b", "b1");
        return NetworkHealthSummary.Create(
            [PeerHealthSnapshot.Aggregate("peer-a", [a1, a2]), PeerHealthSnapshot.Aggregate("peer-b", [b1])], Now);
    }

    /// <summary>A dead connection without a single answered ping: RTT all zeros, as the trackers report it.</summary>
    public static ConnectionHealthSnapshot NeverAnswered(string peerKey, string connectionId) => Connection(peerKey, connectionId) with
    {
        Status = HealthStatus.Dead,
        Score = 0.0,
        Phi = double.PositiveInfinity,
        Rtt = default,
        PingSuccessRate = 0.0,
        LastStatusChange = null,
        IsRoutable = false,
        RecentErrors = [],
        RecentEvents = [],
    };

    /// <summary>One connection whose peer and connection ids need escaping in every format.</summary>
    public static NetworkHealthSummary Tricky(string peerKey, string connectionId) =>
        NetworkHealthSummary.Create([PeerHealthSnapshot.Aggregate(peerKey, [Connection(peerKey, connectionId)])], Now);

    public static NetworkHealthSummary Single(ConnectionHealthSnapshot connection) =>
        NetworkHealthSummary.Create([PeerHealthSnapshot.Aggregate(connection.PeerKey, [connection])], Now);

    public static NetworkHealthSummary Empty() => NetworkHealthSummary.Create([], Now);
}

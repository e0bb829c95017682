namespace Resilink.Health;

// The JSON export's schema, kept apart from the snapshot types so that renaming a snapshot property
// cannot silently change the wire format. Rules: camelCase names; TimeSpans become numbers of seconds
// whose names end in "Seconds"; enums become their HealthWireNames strings (statuses their enum names); rates are bytes per second.

/// <summary>The JSON form of <see cref="NetworkHealthSummary"/>.</summary>
internal sealed record NetworkHealthJson(
    DateTimeOffset Timestamp,
    int TotalPeers,
    int TotalConnections,
    double AverageHealth,
    double MinHealth,
    IReadOnlyDictionary<string, int> ConnectionsByStatus,
    IReadOnlyList<string> UnhealthyPeers,
    IReadOnlyList<PeerHealthJson> Peers);

/// <summary>The JSON form of <see cref="PeerHealthSnapshot"/>.</summary>
internal sealed record PeerHealthJson(
    string PeerKey,
    string Status,
    double AverageScore,
    double MinScore,
    double MaxScore,
    int HealthyConnections,
    IReadOnlyList<ConnectionHealthJson> Connections);

/// <summary>The JSON form of <see cref="ConnectionHealthSnapshot"/>.</summary>
internal sealed record ConnectionHealthJson(
    string ConnectionId,
    string PeerKey,
    string Status,
    double Score,
    double LatencyScore,
    double SuccessScore,
    double StabilityScore,
    double Phi,
    RttJson Rtt,
    long PingsSent,
    long PingsFailed,
    double PingSuccessRate,
    int ConsecutivePingFailures,
    int ActiveStreams,
    long StreamsOpened,
    long FailedStreams,
    DateTimeOffset OpenedAt,
    double AgeSeconds,
    BandwidthJson Bandwidth,
    DateTimeOffset? LastStatusChange,
    bool IsRoutable,
    IReadOnlyList<HealthErrorJson> RecentErrors,
    IReadOnlyList<LifecycleEventJson> RecentEvents);

/// <summary>The JSON form of <see cref="RttStatistics"/>.</summary>
internal sealed record RttJson(
    double LastSeconds,
    double AverageSeconds,
    double P50Seconds,
    double P95Seconds,
    double P99Seconds,
    long SampleCount);

/// <summary>The JSON form of <see cref="BandwidthStatistics"/>.</summary>
internal sealed record BandwidthJson(
    long BytesIn,
    long BytesOut,
    double CurrentIn,
    double CurrentOut,
    double AverageIn,
    double AverageOut,
    double PeakIn,
    double PeakOut,
    double WindowSeconds);

/// <summary>The JSON form of <see cref="HealthError"/>.</summary>
internal sealed record HealthErrorJson(DateTimeOffset Timestamp, string Type, string Message);

/// <summary>The JSON form of <see cref="ConnectionLifecycleEvent"/>.</summary>
internal sealed record LifecycleEventJson(DateTimeOffset Timestamp, string Kind, string Detail);

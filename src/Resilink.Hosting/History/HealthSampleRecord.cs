using Resilink.Health;

namespace Resilink.Hosting.History;

/// <summary>One stored health sample of one connection.</summary>
/// <param name="Timestamp">When the sample was taken.</param>
/// <param name="PeerId">The remote peer.</param>
/// <param name="ConnectionId">The connection.</param>
/// <param name="Status">The connection's health status then.</param>
/// <param name="Score">Its health score then, 0–1.</param>
/// <param name="RttP50Milliseconds">Median ping round trip in milliseconds (0 before the first ping).</param>
/// <param name="RttP95Milliseconds">95th-percentile ping round trip in milliseconds.</param>
/// <param name="ActiveStreams">Streams open on the connection then.</param>
/// <param name="BytesPerSecond">Bytes sent and received per second, recent rate.</param>
/// <param name="RunId">
/// The node start that recorded it (<see cref="IHealthHistory.RunId"/>): connection ids restart at c1 with every start,
/// so a connection is only one connection within one run. Null for rows written before runs were kept.
/// </param>
public sealed record HealthSampleRecord(
    DateTimeOffset Timestamp,
    string PeerId,
    string ConnectionId,
    HealthStatus Status,
    double Score,
    double RttP50Milliseconds,
    double RttP95Milliseconds,
    int ActiveStreams,
    double BytesPerSecond,
    string? RunId = null);

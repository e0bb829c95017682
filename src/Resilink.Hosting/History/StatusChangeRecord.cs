using Resilink.Health;

namespace Resilink.Hosting.History;

/// <summary>One stored change of a connection's health status.</summary>
/// <param name="Timestamp">When the status changed.</param>
/// <param name="PeerId">The remote peer.</param>
/// <param name="ConnectionId">The connection.</param>
/// <param name="Previous">The status before.</param>
/// <param name="Current">The status after.</param>
/// <param name="Score">The health score at the change.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="RunId">The node start that recorded it, as in <see cref="HealthSampleRecord.RunId"/>; null for rows written before runs were kept.</param>
public sealed record StatusChangeRecord(
    DateTimeOffset Timestamp,
    string PeerId,
    string ConnectionId,
    HealthStatus Previous,
    HealthStatus Current,
    double Score,
    string Reason,
    string? RunId = null);

using Resilink.Health;

namespace Resilink.Cli.Live;

/// <summary>One connection in the live health table.</summary>
/// <param name="Peer">Who it goes to (the demo's host pair, or the watched peer).</param>
/// <param name="Connection">Its name or id.</param>
/// <param name="Status">Its health status.</param>
/// <param name="Score">Health score, 0..1.</param>
/// <param name="RttP50">Median ping round trip.</param>
/// <param name="RttP95">95th percentile ping round trip.</param>
/// <param name="ActiveStreams">Streams open on it now.</param>
/// <param name="BytesPerSecond">Bytes in plus out over the latest second.</param>
/// <param name="Note">A fault on it (demo) or other remark, or null.</param>
internal sealed record HealthRow(
    string Peer, string Connection, HealthStatus Status, double Score, TimeSpan RttP50, TimeSpan RttP95, int ActiveStreams, double BytesPerSecond, string? Note)
{
    /// <summary>A row from a connection's health snapshot.</summary>
    public static HealthRow From(string peer, string connection, ConnectionHealthSnapshot snapshot, string? note = null) => new(
        peer,
        connection,
        snapshot.Status,
        snapshot.Score,
        snapshot.Rtt.P50,
        snapshot.Rtt.P95,
        snapshot.ActiveStreams,
        snapshot.Bandwidth.CurrentIn + snapshot.Bandwidth.CurrentOut,
        note);
}

/// <summary>What the live table (or the plain reporter) shows at one moment.</summary>
/// <param name="Title">The heading, e.g. <c>resilink demo · 12 s of 60</c>.</param>
/// <param name="Rows">The connections.</param>
/// <param name="StatusLine">One line of totals under the table (requests, failures…), or null.</param>
/// <param name="Events">The latest events, oldest first.</param>
internal sealed record HealthView(string Title, IReadOnlyList<HealthRow> Rows, string? StatusLine, IReadOnlyList<string> Events);

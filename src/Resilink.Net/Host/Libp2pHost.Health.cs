using System.Collections.Concurrent;
using Resilink.Health;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;

namespace Resilink.Net.Host;

// Health: per-connection monitoring (when enabled) and the host's health API.
public sealed partial class Libp2pHost
{
    private readonly ConcurrentDictionary<string, Libp2pConnection> _monitored = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised on every health status change of a connection (health monitoring on). Raised on the monitor's thread;
    /// handlers must be quick and must not throw (a throwing handler is logged and ignored).
    /// </summary>
    public event EventHandler<HealthStatusChangedEventArgs>? HealthStatusChanged;

    /// <summary>
    /// The health monitor of this host's connections, or null when <see cref="HealthOptions.EnableHealthMonitoring"/> is off.
    /// </summary>
    public HealthMonitor? HealthMonitor { get; }

    /// <summary>
    /// The health of every connection to <paramref name="peer"/> and their aggregate. With monitoring off the numbers
    /// that need no pings (streams, bytes, age, passive failures) are still there, with status <see cref="HealthStatus.Unknown"/>.
    /// </summary>
    /// <param name="peer">The peer.</param>
    /// <returns>The peer's snapshot; with no connection its status is <see cref="HealthStatus.Dead"/> and its list empty.</returns>
    public PeerHealthSnapshot GetConnectionHealth(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return PeerHealthSnapshot.Aggregate(peer.ToString(), [.. _connections.Get(peer).Select(SnapshotOf)]);
    }

    /// <summary>Totals over every peer and connection: counts, average and lowest score, connections by status, unhealthy peers.</summary>
    /// <returns>The summary.</returns>
    public NetworkHealthSummary GetNetworkHealthSummary()
    {
        var peers = _connections.Snapshot()
            .Select(kv => PeerHealthSnapshot.Aggregate(kv.Key.ToString(), [.. kv.Value.Select(SnapshotOf)]))
            .OrderBy(p => p.PeerKey, StringComparer.Ordinal)
            .ToList();
        return NetworkHealthSummary.Create(peers, _timeProvider.GetUtcNow());
    }

    /// <summary>Every connection's health as JSON or as Prometheus text (see <see cref="HealthExporter"/>).</summary>
    /// <param name="format">The format.</param>
    /// <returns>The document.</returns>
    public string ExportHealthMetrics(HealthExportFormat format) => HealthExporter.Export(GetNetworkHealthSummary(), format);

    private ConnectionHealthSnapshot SnapshotOf(Libp2pConnection connection)
    {
        if (HealthMonitor?.Snapshot(connection) is { } monitored)
        {
            return monitored;
        }

        // Not monitored: a throwaway record gives the same shape with what needs no pings.
        var health = new ConnectionHealth(connection.Id, connection.PeerKey, connection.OpenedAt, _options.Health, _timeProvider);
        health.ObserveByteTotals(connection.BytesReceived, connection.BytesSent);
        return health.Snapshot(connection.ActiveStreamCount);
    }

    private void StartMonitoring(Libp2pConnection connection)
    {
        if (HealthMonitor is null)
        {
            return;
        }

        _monitored[connection.Id] = connection;
        HealthMonitor.Track(connection); // stream outcomes reach it through the host's observers (Reporting)
    }

    private void StopMonitoring(Libp2pConnection connection)
    {
        if (HealthMonitor is null)
        {
            return;
        }

        // Closed by us (shutdown, a retirement, HangUpAsync) ends Closed; lost to the peer or the network ends Dead.
        HealthMonitor.Untrack(connection, connection.CloseReason?.Message ?? "closed", connection.ClosedLocally);
        _monitored.TryRemove(connection.Id, out _);
        _retiring.TryRemove(connection.Id, out _);
    }

    /// <summary>
    /// Whether <paramref name="peer"/> has a live connection that takes new streams (not taken out of rotation by
    /// health monitoring).
    /// </summary>
    /// <param name="peer">The peer.</param>
    /// <returns>True if a stream could be opened now without dialing.</returns>
    public bool HasHealthyConnection(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        foreach (var connection in _connections.Get(peer))
        {
            if (!connection.IsClosed && (HealthMonitor?.IsRoutable(connection) ?? true))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Candidates for a new stream: the routable live connections, or every live one if none is routable (panic mode, as YARP and Envoy).</summary>
    private List<IHealthTracked> RoutableConnections(PeerId peer)
    {
        var live = LiveConnections(peer);
        if (HealthMonitor is null || live.Count == 0)
        {
            return live;
        }

        var routable = live.FindAll(HealthMonitor.IsRoutable);
        return routable.Count > 0 ? routable : live;
    }
}

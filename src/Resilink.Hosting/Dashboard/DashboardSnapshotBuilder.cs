using Resilink.Alerting;
using Resilink.Health;
using Resilink.Monitoring;
using Resilink.Net.Host;
using Resilink.Net.Identity;

namespace Resilink.Hosting.Dashboard;

/// <summary>
/// Builds the dashboard's snapshots from the host and the alert manager. The host forgets a connection once it is
/// closed, and a sick connection is closed soon after it turns Unhealthy or Dead, so the builder keeps each vanished
/// connection's last row (with the status it went out with) for a few minutes: the page can show what happened.
/// Thread-safe.
/// </summary>
internal sealed class DashboardSnapshotBuilder(Libp2pHost host, AlertManager alerts, TimeProvider time)
{
    private static readonly TimeSpan ClosedRetention = TimeSpan.FromMinutes(5);
    private const int MaxClosed = 200;
    private const int MaxRecentAlerts = 50;
    private const int MaxRememberedChanges = 4096;

    // Two locks: _gate is held by Build while it reads the host; _changesGate only for a dictionary update, so Remember,
    // which runs on the health monitor's thread, never waits for a build.
    private readonly Lock _gate = new();
    private readonly Lock _changesGate = new();
    private readonly Dictionary<string, DashboardConnection> _closed = [];
    private readonly Dictionary<string, DashboardStatusChange> _lastChange = [];
    private Dictionary<string, DashboardStatusChange> _incoming = [];
    private Dictionary<string, DashboardConnection> _open = [];
    private DateTimeOffset? _lastBuilt;

    /// <summary>
    /// Gets the gap between two builds beyond which the builder no longer knows when a connection that vanished in
    /// between closed (nobody was watching): it dates the close by what it last knew instead of "now".
    /// </summary>
    public static TimeSpan StaleAfter { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Remembers a status change, so a connection that closes before the next snapshot still shows it.</summary>
    public void Remember(DashboardStatusChange change)
    {
        lock (_changesGate)
        {
            var open = Volatile.Read(ref _open); // replaced by Build, never changed once published
            if (_incoming.Count >= MaxRememberedChanges + open.Count)
            {
                // Only a flood of changes with nobody watching gets here. Forget the connections that are not open (their
                // closed rows cost display only); an open one's change is what its next row will show. The threshold
                // grows with the open connections, so this sweep runs once per MaxRememberedChanges changes at most.
                foreach (var id in _incoming.Keys.Where(id => !open.ContainsKey(id)).ToList())
                {
                    _incoming.Remove(id);
                }
            }
            _incoming[change.ConnectionId] = change;
        }
    }

    public DashboardSnapshot Build()
    {
        NetworkHealthSummary summary;
        DateTimeOffset now;
        Dictionary<string, DashboardConnection> open = [];
        List<DashboardConnection> closed;
        lock (_gate)
        {
            // Taken under the lock: two builds at once must compare summaries in time order, or the older one would
            // call the newer one's new connections closed.
            summary = host.GetNetworkHealthSummary();
            now = time.GetUtcNow();
            Dictionary<string, DashboardStatusChange> incoming;
            lock (_changesGate)
            {
                (incoming, _incoming) = (_incoming, []);
            }
            foreach (var (id, change) in incoming)
            {
                _lastChange[id] = change;
                if (_closed.TryGetValue(id, out var wasClosed))
                {
                    _closed[id] = wasClosed with { Status = change.Current, Score = change.Score };
                }
            }
            foreach (var peer in summary.Peers)
            {
                foreach (var connection in peer.Connections)
                {
                    open[connection.ConnectionId] = ToRow(connection);
                }
            }
            // Watched, a vanished connection closed within the last second: "now" is near enough. After a stretch with
            // nobody building, it closed at its last change (a closing connection usually reports one), or at least
            // after the last build that saw it open.
            var stale = _lastBuilt is { } lastBuilt && now - lastBuilt > StaleAfter;
            foreach (var (id, row) in _open)
            {
                if (!open.ContainsKey(id))
                {
                    _lastChange.TryGetValue(id, out var last);
                    var closedAt = !stale ? now
                        : last is not null && last.Timestamp > _lastBuilt!.Value ? last.Timestamp
                        : _lastBuilt!.Value;
                    _closed[id] = last is not null
                        ? row with { Status = last.Current, Score = last.Score, Closed = true, ClosedAt = closedAt, Routable = false }
                        : row with { Closed = true, ClosedAt = closedAt, Routable = false };
                }
            }
            foreach (var (id, change) in _lastChange)
            {
                if (!open.ContainsKey(id) && !_closed.ContainsKey(id))
                {
                    // Opened and gone between two snapshots: all that is known is its last change.
                    _closed[id] = new DashboardConnection(
                        id, change.PeerId, change.Current, change.Score, 0, 0, 0, 0, 0, 0, false, 0, 0, true, change.Timestamp);
                }
            }
            foreach (var id in _lastChange.Keys.Where(id => !open.ContainsKey(id)).ToList())
            {
                _lastChange.Remove(id);
            }
            Volatile.Write(ref _open, open);
            _lastBuilt = now;
            PruneClosed(now);
            closed = [.. _closed.Values.OrderBy(c => c.ClosedAt)];
        }

        return new DashboardSnapshot(
            host.PeerId.ToString(),
            now,
            new DashboardTotals(
                summary.TotalPeers, summary.TotalConnections, summary.AverageHealth,
                summary.ConnectionsByStatus.ToDictionary(p => p.Key.ToString(), p => p.Value)),
            Peers(summary, open, closed),
            new DashboardResilience(host.CircuitBreakers is not null, Reconnection(host.GetReconnectionStatistics())),
            [.. alerts.GetActiveAlerts().Select(ToAlert)],
            [.. alerts.GetHistory().Reverse().Take(MaxRecentAlerts).Select(ToAlert)]);
    }

    public static DashboardAlert ToAlert(Alert alert) => new(
        alert.Id, alert.Rule.Name, alert.Level.ToString(), alert.Service, alert.Message, alert.FirstSeen, alert.LastSeen, alert.Count, alert.ResolvedAt);

    public static DashboardStatusChange ToStatusChange(HealthStatusChangedEventArgs e) => new(
        e.ConnectionId, e.PeerKey, e.Previous.ToString(), e.Current.ToString(), e.Score, e.Reason, e.Timestamp);

    private List<DashboardPeer> Peers(NetworkHealthSummary summary, Dictionary<string, DashboardConnection> open, List<DashboardConnection> closed)
    {
        var closedByPeer = closed.ToLookup(c => c.PeerId);
        var peers = new List<DashboardPeer>(summary.Peers.Count);
        foreach (var peer in summary.Peers)
        {
            IEnumerable<DashboardConnection> rows = peer.Connections.Select(c => open[c.ConnectionId]);
            peers.Add(Peer(peer.PeerKey, peer.Status.ToString(), peer.AverageScore, [.. rows.Concat(closedByPeer[peer.PeerKey])]));
        }
        var listed = summary.Peers.Select(p => p.PeerKey).ToHashSet();
        foreach (var gone in closedByPeer.Where(g => !listed.Contains(g.Key)))
        {
            // Every connection of this peer is gone: Closed when this node closed them all, otherwise as dead as the
            // host's own aggregate would call it.
            var status = gone.All(c => c.Status == nameof(HealthStatus.Closed)) ? HealthStatus.Closed : HealthStatus.Dead;
            peers.Add(Peer(gone.Key, status.ToString(), 0, [.. gone]));
        }
        return peers;
    }

    private DashboardPeer Peer(string peerId, string status, double averageScore, IReadOnlyList<DashboardConnection> connections)
    {
        var circuit = host.CircuitBreakers?.GetState(peerId) ?? CircuitState.Closed;
        var keptAlive = PeerId.TryParse(peerId, out var parsed) && parsed is not null && host.IsKeptAlive(parsed);
        return new DashboardPeer(peerId, status, averageScore, circuit.ToString(), keptAlive, connections);
    }

    private void PruneClosed(DateTimeOffset now)
    {
        foreach (var id in _closed.Where(c => c.Value.ClosedAt < now - ClosedRetention).Select(c => c.Key).ToList())
        {
            _closed.Remove(id);
        }
        if (_closed.Count > MaxClosed)
        {
            foreach (var id in _closed.Values.OrderBy(c => c.ClosedAt).Take(_closed.Count - MaxClosed).Select(c => c.Id).ToList())
            {
                _closed.Remove(id);
            }
        }
    }

    private static DashboardConnection ToRow(ConnectionHealthSnapshot c) => new(
        c.ConnectionId, c.PeerKey, c.Status.ToString(), c.Score, c.Rtt.P50.TotalMilliseconds, c.Rtt.P95.TotalMilliseconds, c.ActiveStreams,
        c.Bandwidth.CurrentIn, c.Bandwidth.CurrentOut, c.Age.TotalSeconds, c.IsRoutable, c.PingsSent, c.PingsFailed, false, null);

    private static DashboardReconnection Reconnection(Resilink.Resilience.ReconnectionStatistics s) =>
        new(s.Attempts, s.FailedAttempts, s.Successes, s.GiveUps, s.MeanTimeToReconnect.TotalSeconds);
}

using System.Collections.Immutable;
using Resilink.Net.Identity;

namespace Resilink.Net.Swarm;

/// <summary>
/// Peer → its live connections. Readers get immutable snapshots, so they never block writers or see a list change under them.
/// </summary>
internal sealed class ConnectionTable
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<PeerId, ImmutableArray<Libp2pConnection>> _byPeer =
        ImmutableDictionary<PeerId, ImmutableArray<Libp2pConnection>>.Empty;

    /// <summary>Adds a connection; returns true when it is the peer's first.</summary>
    public bool Add(Libp2pConnection connection)
    {
        lock (_gate)
        {
            var existing = _byPeer.GetValueOrDefault(connection.RemotePeer, []);
            _byPeer = _byPeer.SetItem(connection.RemotePeer, existing.Add(connection));
            return existing.IsEmpty;
        }
    }

    /// <summary>Removes a connection; the peer disappears with its last connection (<paramref name="peerGone"/>).</summary>
    public bool Remove(Libp2pConnection connection, out bool peerGone)
    {
        lock (_gate)
        {
            peerGone = false;
            if (!_byPeer.TryGetValue(connection.RemotePeer, out var existing) || !existing.Contains(connection))
            {
                return false;
            }
            var remaining = existing.Remove(connection);
            peerGone = remaining.IsEmpty;
            _byPeer = peerGone ? _byPeer.Remove(connection.RemotePeer) : _byPeer.SetItem(connection.RemotePeer, remaining);
            return true;
        }
    }

    public ImmutableArray<Libp2pConnection> Get(PeerId peer) => _byPeer.GetValueOrDefault(peer, []);

    public IReadOnlyList<Libp2pConnection> All() => [.. _byPeer.Values.SelectMany(c => c)];

    public IReadOnlyCollection<PeerId> Peers => [.. _byPeer.Keys];

    public ImmutableDictionary<PeerId, ImmutableArray<Libp2pConnection>> Snapshot() => _byPeer;
}

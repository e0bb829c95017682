using Resilink.Net.Identity;

namespace Resilink.Net.Host;

/// <summary>Thrown when an operation needs a connection to a peer that we have none to and cannot dial.</summary>
public sealed class PeerNotConnectedException : IOException
{
    /// <summary>Creates the exception for <paramref name="peer"/>.</summary>
    public PeerNotConnectedException(PeerId peer)
        : base($"No live connection to peer {peer}, and no known address to dial it.")
    {
        Peer = peer;
    }

    /// <summary>The peer we have no connection to.</summary>
    public PeerId Peer { get; }
}

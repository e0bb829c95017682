using Resilink.Net.Addressing;
using Resilink.Net.Identity;

namespace Resilink.Net.Protocols.Identify;

/// <summary>What a remote peer told us about itself over <c>/ipfs/id/1.0.0</c>.</summary>
/// <param name="PeerId">The peer ID derived from <paramref name="PublicKey"/>; always equals the connection's remote peer.</param>
/// <param name="PublicKey">The remote's identity key.</param>
/// <param name="ProtocolVersion">For example <c>ipfs/0.1.0</c>.</param>
/// <param name="AgentVersion">The remote implementation, for example <c>js-libp2p/3.0.0</c>.</param>
/// <param name="ListenAddresses">Addresses the remote says it listens on (unparseable ones are skipped).</param>
/// <param name="Protocols">Protocols the remote handles.</param>
/// <param name="ObservedAddress">Our address as the remote sees it, if it said.</param>
public sealed record IdentifyInfo(
    PeerId PeerId,
    PublicKey PublicKey,
    string ProtocolVersion,
    string AgentVersion,
    IReadOnlyList<Multiaddr> ListenAddresses,
    IReadOnlyList<string> Protocols,
    Multiaddr? ObservedAddress);

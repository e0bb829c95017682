using Resilink.Net.Identity;

namespace Resilink.Net.Messaging;

/// <summary>A message received from a peer.</summary>
/// <param name="Peer">Who sent it.</param>
/// <param name="Type">Its type, as the sender named it.</param>
/// <param name="Payload">Its bytes.</param>
/// <param name="ConnectionId">The connection it arrived on.</param>
public sealed record PeerMessage(PeerId Peer, string Type, ReadOnlyMemory<byte> Payload, string ConnectionId);

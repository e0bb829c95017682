using Google.Protobuf;
using Resilink.Net.Addressing;
using Resilink.Net.Identity;
using Resilink.Net.Swarm;
using IdentifyMessage = Resilink.Net.Protocols.Identify.Protobuf.Identify;

namespace Resilink.Net.Protocols.Identify;

/// <summary>
/// <c>/ipfs/id/1.0.0</c>: the side that receives the stream writes one length-prefixed Identify message and closes.
/// </summary>
public static class IdentifyProtocol
{
    /// <summary>The protocol ID.</summary>
    public const string ProtocolId = "/ipfs/id/1.0.0";

    /// <summary>Largest identify answer we accept, all messages together (js-libp2p sends a few hundred bytes; signed records add ~1 KiB).</summary>
    public const int MaxMessageSize = 64 * 1024;

    /// <summary>Answers an identify request on <paramref name="stream"/> with what we are.</summary>
    internal static async Task RespondAsync(
        Libp2pStream stream,
        KeyPair identity,
        IdentifyResponse self,
        CancellationToken cancellationToken)
    {
        var message = new IdentifyMessage
        {
            ProtocolVersion = self.ProtocolVersion,
            AgentVersion = self.AgentVersion,
            PublicKey = ByteString.CopyFrom(identity.PublicKey.ToProtobuf()),
            ObservedAddr = ByteString.CopyFrom(stream.Connection.RemoteAddress.ToBytes()),
        };
        foreach (var address in self.ListenAddresses)
        {
            message.ListenAddrs.Add(ByteString.CopyFrom(address.ToBytes()));
        }
        message.Protocols.AddRange(self.Protocols);
        await LengthPrefixedMessage.WriteAsync(stream, message.ToByteArray(), cancellationToken).ConfigureAwait(false);
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the remote end of <paramref name="connection"/> who it is.</summary>
    /// <exception cref="InvalidDataException">The answer is malformed or its key does not match the connection's peer.</exception>
    public static async Task<IdentifyInfo> RequestAsync(Libp2pConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Control traffic like the health pings: not counted as the connection's load, so balancing sees only user streams.
        await using var stream = await connection.OpenStreamAsync([ProtocolId], trackLoad: false, cancellationToken).ConfigureAwait(false);
        // go-libp2p splits a large answer (its signed peer record) into several messages; merge all of them until EOF.
        using var merged = new MemoryStream();
        for (var i = 0; i < MaxMessages; i++)
        {
            var remaining = MaxMessageSize - (int)merged.Length;
            var chunk = await LengthPrefixedMessage.ReadOrEndAsync(stream, remaining, cancellationToken).ConfigureAwait(false);
            if (chunk is null)
            {
                break;
            }
            merged.Write(chunk); // Concatenated protobuf encodings parse as one merged message.
        }
        if (merged.Length == 0)
        {
            throw new InvalidDataException($"{connection.RemotePeer} closed the identify stream without answering.");
        }
        return Parse(merged.ToArray(), connection.RemotePeer);
    }

    /// <summary>Most identify messages we merge from one answer (go-libp2p sends at most two).</summary>
    public const int MaxMessages = 10;

    /// <summary>Decodes an identify message and checks it against the peer we are connected to.</summary>
    internal static IdentifyInfo Parse(byte[] bytes, PeerId expectedPeer)
    {
        IdentifyMessage message;
        try
        {
            message = IdentifyMessage.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"Malformed identify message from {expectedPeer}: {ex.Message}", ex);
        }

        if (!message.HasPublicKey)
        {
            throw new InvalidDataException($"Identify message from {expectedPeer} carries no public key.");
        }
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.FromProtobuf(message.PublicKey.Span);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"Identify message from {expectedPeer} has an invalid public key: {ex.Message}", ex);
        }
        var peerId = publicKey.ToPeerId();
        if (!peerId.Equals(expectedPeer))
        {
            throw new InvalidDataException($"Identify message claims peer {peerId} but the connection is to {expectedPeer}.");
        }

        return new IdentifyInfo(
            peerId,
            publicKey,
            message.ProtocolVersion,
            message.AgentVersion,
            ParseAddresses(message.ListenAddrs),
            [.. message.Protocols],
            message.HasObservedAddr ? TryParseAddress(message.ObservedAddr) : null);
    }

    private static List<Multiaddr> ParseAddresses(IEnumerable<ByteString> encoded)
    {
        var addresses = new List<Multiaddr>();
        foreach (var bytes in encoded)
        {
            if (TryParseAddress(bytes) is { } address)
            {
                addresses.Add(address);
            }
        }
        return addresses;
    }

    // A peer may advertise transports we cannot parse (quic, webrtc...): skip them rather than fail identify.
    private static Multiaddr? TryParseAddress(ByteString bytes)
    {
        try
        {
            return Multiaddr.FromBytes(bytes.Span);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>What we say about ourselves in identify.</summary>
internal sealed record IdentifyResponse(
    string ProtocolVersion,
    string AgentVersion,
    IReadOnlyList<Multiaddr> ListenAddresses,
    IReadOnlyList<string> Protocols);

using System.Collections.Frozen;

namespace Resilink.Net.Addressing;

/// <summary>
/// A protocol that may appear in a <see cref="Multiaddr"/>, as listed in the multiformats
/// multiaddr protocol table. Only the protocols Resilink needs are known; anything else is rejected.
/// </summary>
public sealed class MultiaddrProtocol
{
    /// <summary>Marks a protocol whose value is a varint length followed by that many bytes.</summary>
    public const int VariableSize = -1;

    private MultiaddrProtocol(string name, int code, int sizeInBits)
    {
        Name = name;
        Code = code;
        SizeInBits = sizeInBits;
    }

    /// <summary>Text name, e.g. <c>ip4</c>.</summary>
    public string Name { get; }

    /// <summary>Multicodec code written as a varint in the binary form.</summary>
    public int Code { get; }

    /// <summary>Value size in bits, 0 for protocols without a value, or <see cref="VariableSize"/>.</summary>
    public int SizeInBits { get; }

    /// <summary>Whether the protocol carries a value at all.</summary>
    public bool HasValue => SizeInBits != 0;

    /// <summary>IPv4 address, 4 bytes.</summary>
    public static MultiaddrProtocol Ip4 { get; } = new("ip4", 4, 32);

    /// <summary>TCP port, 2 bytes big-endian.</summary>
    public static MultiaddrProtocol Tcp { get; } = new("tcp", 6, 16);

    /// <summary>UDP port, 2 bytes big-endian.</summary>
    public static MultiaddrProtocol Udp { get; } = new("udp", 273, 16);

    /// <summary>IPv6 address, 16 bytes.</summary>
    public static MultiaddrProtocol Ip6 { get; } = new("ip6", 41, 128);

    /// <summary>DNS name resolved to any address family.</summary>
    public static MultiaddrProtocol Dns { get; } = new("dns", 53, VariableSize);

    /// <summary>DNS name resolved to IPv4 only.</summary>
    public static MultiaddrProtocol Dns4 { get; } = new("dns4", 54, VariableSize);

    /// <summary>DNS name resolved to IPv6 only.</summary>
    public static MultiaddrProtocol Dns6 { get; } = new("dns6", 55, VariableSize);

    /// <summary>DNS name whose TXT records hold multiaddrs.</summary>
    public static MultiaddrProtocol DnsAddr { get; } = new("dnsaddr", 56, VariableSize);

    /// <summary>Peer identity: the multihash of a peer id. Text form is base58btc; <c>/ipfs/</c> is accepted as an alias.</summary>
    public static MultiaddrProtocol P2p { get; } = new("p2p", 421, VariableSize);

    /// <summary>Circuit relay marker (no value).</summary>
    public static MultiaddrProtocol P2pCircuit { get; } = new("p2p-circuit", 290, 0);

    /// <summary>QUIC version 1 (no value).</summary>
    public static MultiaddrProtocol QuicV1 { get; } = new("quic-v1", 461, 0);

    /// <summary>WebSocket (no value).</summary>
    public static MultiaddrProtocol Ws { get; } = new("ws", 477, 0);

    /// <summary>Secure WebSocket (no value).</summary>
    public static MultiaddrProtocol Wss { get; } = new("wss", 478, 0);

    private static readonly MultiaddrProtocol[] All =
        [Ip4, Tcp, Udp, Ip6, Dns, Dns4, Dns6, DnsAddr, P2p, P2pCircuit, QuicV1, Ws, Wss];

    private static readonly FrozenDictionary<string, MultiaddrProtocol> ByName =
        All.Select(p => KeyValuePair.Create(p.Name, p))
            .Append(KeyValuePair.Create("ipfs", P2p))
            .ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<int, MultiaddrProtocol> ByCode =
        All.ToFrozenDictionary(p => p.Code);

    /// <summary>The protocols this implementation understands.</summary>
    public static IReadOnlyList<MultiaddrProtocol> Known => All;

    /// <summary>Looks a protocol up by its text name (case-sensitive; <c>ipfs</c> maps to <see cref="P2p"/>).</summary>
    public static bool TryGetByName(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MultiaddrProtocol? protocol) =>
        ByName.TryGetValue(name, out protocol);

    /// <summary>Looks a protocol up by its multicodec code.</summary>
    public static bool TryGetByCode(int code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MultiaddrProtocol? protocol) =>
        ByCode.TryGetValue(code, out protocol);

    /// <inheritdoc />
    public override string ToString() => Name;
}

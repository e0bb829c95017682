using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Resilink.Net.Encoding;

namespace Resilink.Net.Addressing;

/// <summary>
/// An immutable, validated multiaddr (https://github.com/multiformats/multiaddr).
/// </summary>
/// <remarks>
/// Limits (anything beyond them is refused with <see cref="MultiaddrFormatException"/> before allocating):
/// text at most <see cref="MaxTextLength"/> characters, binary form at most <see cref="MaxBinaryLength"/> bytes,
/// at most <see cref="MaxComponents"/> components, DNS names at most <see cref="MaxDnsNameLength"/> bytes,
/// <c>/p2p</c> multihashes at most <see cref="MaxPeerIdLength"/> bytes.
/// Equality compares the binary form.
/// </remarks>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Longest accepted text form, in characters.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Longest accepted binary form, in bytes.</summary>
    public const int MaxBinaryLength = 1024;

    /// <summary>Most components accepted in one multiaddr.</summary>
    public const int MaxComponents = 32;

    /// <summary>Longest accepted DNS name, in UTF-8 bytes.</summary>
    public const int MaxDnsNameLength = 255;

    /// <summary>Longest accepted <c>/p2p</c> multihash, in bytes.</summary>
    public const int MaxPeerIdLength = 128;

    private readonly byte[] _bytes;
    private readonly MultiaddrComponent[] _components;
    private readonly int[] _ends;
    private readonly string _text;

    private Multiaddr(byte[] bytes, MultiaddrComponent[] components, int[] ends)
    {
        _bytes = bytes;
        _components = components;
        _ends = ends;
        _text = components.Length == 0 ? "/" : string.Concat(components.Select(c => c.ToString()));
    }

    /// <summary>The empty multiaddr (text <c>/</c>, no bytes).</summary>
    public static Multiaddr Empty { get; } = new([], [], []);

    /// <summary>The components in order.</summary>
    public IReadOnlyList<MultiaddrComponent> Components => _components;

    /// <summary>Whether there are no components.</summary>
    public bool IsEmpty => _components.Length == 0;

    /// <summary>Parses the text form, e.g. <c>/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="MultiaddrFormatException">The text is malformed, names an unknown protocol or exceeds a limit.</exception>
    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromBytes(MultiaddrCodec.TextToBytes(text));
    }

    /// <summary>Parses the text form without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Multiaddr? multiaddr)
    {
        multiaddr = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            multiaddr = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Decodes the binary form.</summary>
    /// <exception cref="MultiaddrFormatException">The bytes are malformed, name an unknown protocol or exceed a limit.</exception>
    public static Multiaddr FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBinaryLength)
        {
            throw new MultiaddrFormatException($"Invalid multiaddr bytes: {bytes.Length} bytes exceeds the limit of {MaxBinaryLength}.");
        }
        if (bytes.IsEmpty)
        {
            return Empty;
        }
        var copy = bytes.ToArray();
        var components = MultiaddrCodec.DecodeComponents(copy, out var ends);
        return new Multiaddr(copy, components, ends);
    }

    /// <summary>Builds <c>/ip4|ip6/address/tcp/port</c> from an endpoint. IPv4-mapped IPv6 addresses become <c>/ip4</c>.</summary>
    public static Multiaddr FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        var ipProtocol = address.AddressFamily == AddressFamily.InterNetwork ? MultiaddrProtocol.Ip4 : MultiaddrProtocol.Ip6;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }
        var buffer = new List<byte>(24);
        buffer.AddRange(Varint.Encode((ulong)ipProtocol.Code));
        buffer.AddRange(address.GetAddressBytes());
        buffer.AddRange(Varint.Encode((ulong)MultiaddrProtocol.Tcp.Code));
        buffer.Add((byte)(endPoint.Port >> 8));
        buffer.Add((byte)endPoint.Port);
        return FromBytes(buffer.ToArray());
    }

    /// <summary>A copy of the binary form.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>The binary form without copying.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Canonical text form (<c>/ipfs/</c> is written as <c>/p2p/</c>; the empty multiaddr is <c>/</c>).</summary>
    public override string ToString() => _text;

    /// <summary>This address followed by <paramref name="other"/>.</summary>
    /// <exception cref="MultiaddrFormatException">The result would exceed a limit.</exception>
    public Multiaddr Encapsulate(Multiaddr other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }
        if (IsEmpty)
        {
            return other;
        }
        return FromBytes([.. _bytes, .. other._bytes]);
    }

    /// <summary>This address followed by the parsed <paramref name="other"/>.</summary>
    /// <exception cref="MultiaddrFormatException"><paramref name="other"/> is malformed or the result would exceed a limit.</exception>
    public Multiaddr Encapsulate(string other) => Encapsulate(Parse(other));

    /// <summary>
    /// Drops the last component named <paramref name="protocolName"/> and everything after it
    /// (<c>ipfs</c> is treated as <c>p2p</c>). Returns this address unchanged when there is no such component.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a known protocol.</exception>
    public Multiaddr Decapsulate(string protocolName)
    {
        ArgumentNullException.ThrowIfNull(protocolName);
        var name = protocolName.TrimStart('/');
        if (!MultiaddrProtocol.TryGetByName(name, out var protocol))
        {
            throw new ArgumentException($"Unknown multiaddr protocol '{protocolName}'.", nameof(protocolName));
        }
        return Decapsulate(protocol);
    }

    /// <summary>Drops the last <paramref name="protocol"/> component and everything after it; unchanged if absent.</summary>
    public Multiaddr Decapsulate(MultiaddrProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        for (var i = _components.Length - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_components[i].Protocol, protocol))
            {
                return Take(i);
            }
        }
        return this;
    }

    /// <summary>The multihash bytes of the last <c>/p2p</c> component, if any.</summary>
    public ReadOnlyMemory<byte>? PeerIdBytes => LastOf(MultiaddrProtocol.P2p)?.Value;

    /// <summary>The base58btc text of the last <c>/p2p</c> component, if any.</summary>
    public string? PeerIdText => LastOf(MultiaddrProtocol.P2p)?.ValueText;

    /// <summary>This address without a trailing <c>/p2p</c> component (unchanged if it has none).</summary>
    public Multiaddr WithoutPeerId() =>
        _components.Length > 0 && ReferenceEquals(_components[^1].Protocol, MultiaddrProtocol.P2p)
            ? Take(_components.Length - 1)
            : this;

    /// <summary>
    /// Recognises <c>/ip4|ip6|dns|dns4|dns6/host/tcp/port</c>, optionally followed by one <c>/p2p/id</c>,
    /// and returns an <see cref="IPEndPoint"/> (ip4/ip6) or <see cref="DnsEndPoint"/> (dns*, with the
    /// address family dns4/dns6 ask for).
    /// </summary>
    public bool TryGetTcpEndPoint([NotNullWhen(true)] out EndPoint? endPoint)
    {
        endPoint = null;
        var c = _components;
        if (c.Length is < 2 or > 3
            || !ReferenceEquals(c[1].Protocol, MultiaddrProtocol.Tcp)
            || (c.Length == 3 && !ReferenceEquals(c[2].Protocol, MultiaddrProtocol.P2p)))
        {
            return false;
        }
        var span = c[1].Value.Span;
        var port = (span[0] << 8) | span[1];
        var host = c[0];
        if (ReferenceEquals(host.Protocol, MultiaddrProtocol.Ip4) || ReferenceEquals(host.Protocol, MultiaddrProtocol.Ip6))
        {
            endPoint = new IPEndPoint(new IPAddress(host.Value.Span), port);
            return true;
        }
        var family =
            ReferenceEquals(host.Protocol, MultiaddrProtocol.Dns) ? AddressFamily.Unspecified
            : ReferenceEquals(host.Protocol, MultiaddrProtocol.Dns4) ? AddressFamily.InterNetwork
            : ReferenceEquals(host.Protocol, MultiaddrProtocol.Dns6) ? AddressFamily.InterNetworkV6
            : (AddressFamily?)null;
        if (family is null)
        {
            return false;
        }
        endPoint = new DnsEndPoint(host.ValueText!, port, family.Value);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Multiaddr? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Binary equality.</summary>
    public static bool operator ==(Multiaddr? left, Multiaddr? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Binary inequality.</summary>
    public static bool operator !=(Multiaddr? left, Multiaddr? right) => !(left == right);

    private MultiaddrComponent? LastOf(MultiaddrProtocol protocol)
    {
        for (var i = _components.Length - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_components[i].Protocol, protocol))
            {
                return _components[i];
            }
        }
        return null;
    }

    private Multiaddr Take(int count)
    {
        if (count == 0)
        {
            return Empty;
        }
        return FromBytes(_bytes.AsSpan(0, _ends[count - 1]));
    }
}

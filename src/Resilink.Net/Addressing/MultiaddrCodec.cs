using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Resilink.Net.Encoding;

namespace Resilink.Net.Addressing;

/// <summary>Text and binary encoding of multiaddr components, with validation and bounds.</summary>
internal static class MultiaddrCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Converts text to (unvalidated-by-decoder but well-formed) binary form.</summary>
    public static byte[] TextToBytes(string text)
    {
        if (text.Length > Multiaddr.MaxTextLength)
        {
            throw new MultiaddrFormatException(
                $"Invalid multiaddr: text of {text.Length} characters exceeds the limit of {Multiaddr.MaxTextLength}.");
        }
        if (text.Length == 0 || text[0] != '/')
        {
            throw Bad(text, "a multiaddr must begin with '/'");
        }
        var parts = text.Split('/');
        var count = parts.Length;
        if (count > 1 && parts[count - 1].Length == 0)
        {
            count--; // one trailing '/' is tolerated, as go- and js-multiaddr do
        }
        var output = new List<byte>(Math.Min(text.Length, Multiaddr.MaxBinaryLength));
        var components = 0;
        for (var i = 1; i < count; i++)
        {
            var name = parts[i];
            if (name.Length == 0)
            {
                throw Bad(text, "empty protocol name");
            }
            if (!MultiaddrProtocol.TryGetByName(name, out var protocol))
            {
                throw Bad(text, $"unknown protocol '{name}'");
            }
            if (++components > Multiaddr.MaxComponents)
            {
                throw Bad(text, $"more than {Multiaddr.MaxComponents} components");
            }
            AddVarint(output, (ulong)protocol.Code);
            if (!protocol.HasValue)
            {
                continue;
            }
            if (i + 1 >= count)
            {
                throw Bad(text, $"missing value for '/{name}'");
            }
            var value = parts[++i];
            var bytes = EncodeValue(text, protocol, value);
            if (protocol.SizeInBits == MultiaddrProtocol.VariableSize)
            {
                AddVarint(output, (ulong)bytes.Length);
            }
            output.AddRange(bytes);
            if (output.Count > Multiaddr.MaxBinaryLength)
            {
                throw Bad(text, $"binary form exceeds {Multiaddr.MaxBinaryLength} bytes");
            }
        }
        return output.ToArray();
    }

    /// <summary>Decodes and validates every component; values are slices of <paramref name="bytes"/>.</summary>
    public static MultiaddrComponent[] DecodeComponents(byte[] bytes, out int[] ends)
    {
        var components = new List<MultiaddrComponent>();
        var endList = new List<int>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            if (components.Count >= Multiaddr.MaxComponents)
            {
                throw BadBytes($"more than {Multiaddr.MaxComponents} components");
            }
            var code = ReadVarint(bytes, ref pos, "protocol code");
            if (code > int.MaxValue || !MultiaddrProtocol.TryGetByCode((int)code, out var protocol))
            {
                throw BadBytes($"unknown protocol code {code} at offset {pos}");
            }
            int length;
            if (protocol.SizeInBits == MultiaddrProtocol.VariableSize)
            {
                var declared = ReadVarint(bytes, ref pos, $"length of /{protocol.Name}");
                if (declared > (ulong)(bytes.Length - pos))
                {
                    throw BadBytes($"/{protocol.Name} declares {declared} bytes but only {bytes.Length - pos} remain");
                }
                length = (int)declared;
            }
            else
            {
                length = protocol.SizeInBits / 8;
                if (length > bytes.Length - pos)
                {
                    throw BadBytes($"/{protocol.Name} needs {length} bytes but only {bytes.Length - pos} remain");
                }
            }
            var value = bytes.AsMemory(pos, length);
            pos += length;
            var text = protocol.HasValue ? DecodeValue(protocol, value.Span) : null;
            components.Add(new MultiaddrComponent(protocol, value, text));
            endList.Add(pos);
        }
        ends = [.. endList];
        return [.. components];
    }

    private static ulong ReadVarint(byte[] bytes, ref int pos, string what)
    {
        switch (Varint.TryRead(bytes.AsSpan(pos), out var value, out var read))
        {
            case VarintReadStatus.Done:
                pos += read;
                return value;
            case VarintReadStatus.NeedMoreData:
                throw BadBytes($"truncated varint ({what}) at offset {pos}");
            default:
                throw BadBytes($"invalid varint ({what}) at offset {pos}");
        }
    }

    private static byte[] EncodeValue(string text, MultiaddrProtocol protocol, string value)
    {
        switch (protocol.Name)
        {
            case "ip4":
                return ParseIp4(value) ?? throw Bad(text, $"'{value}' is not an IPv4 address");
            case "ip6":
                return ParseIp6(value) ?? throw Bad(text, $"'{value}' is not an IPv6 address");
            case "tcp":
            case "udp":
                return ParsePort(value) ?? throw Bad(text, $"'{value}' is not a {protocol.Name} port (0-65535)");
            case "dns":
            case "dns4":
            case "dns6":
            case "dnsaddr":
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(value);
                    if (value.Length == 0 || bytes.Length > Multiaddr.MaxDnsNameLength)
                    {
                        throw Bad(text, $"'{value}' is not a DNS name of 1-{Multiaddr.MaxDnsNameLength} bytes");
                    }
                    return bytes;
                }
            case "p2p":
                return ParsePeerId(value) ?? throw Bad(text, $"'{value}' is not a peer id (base58btc multihash or base32 libp2p-key CID)");
            default:
                throw Bad(text, $"no text codec for '/{protocol.Name}'");
        }
    }

    private static string DecodeValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        switch (protocol.Name)
        {
            case "ip4":
                return string.Create(CultureInfo.InvariantCulture, $"{value[0]}.{value[1]}.{value[2]}.{value[3]}");
            case "ip6":
                return new IPAddress(value).ToString();
            case "tcp":
            case "udp":
                return ((value[0] << 8) | value[1]).ToString(CultureInfo.InvariantCulture);
            case "dns":
            case "dns4":
            case "dns6":
            case "dnsaddr":
                {
                    if (value.IsEmpty || value.Length > Multiaddr.MaxDnsNameLength)
                    {
                        throw BadBytes($"/{protocol.Name} name must be 1-{Multiaddr.MaxDnsNameLength} bytes");
                    }
                    string name;
                    try
                    {
                        name = StrictUtf8.GetString(value);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new MultiaddrFormatException($"Invalid multiaddr bytes: /{protocol.Name} name is not UTF-8.", ex);
                    }
                    if (name.Contains('/', StringComparison.Ordinal))
                    {
                        throw BadBytes($"/{protocol.Name} name contains '/'");
                    }
                    return name;
                }
            case "p2p":
                if (!IsMultihash(value))
                {
                    throw BadBytes($"/p2p value of {value.Length} bytes is not a multihash of at most {Multiaddr.MaxPeerIdLength} bytes");
                }
                return SimpleBase.Base58.Bitcoin.Encode(value);
            default:
                throw BadBytes($"no codec for '/{protocol.Name}'");
        }
    }

    private static byte[]? ParseIp4(string value)
    {
        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }
        var result = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit))
            {
                return null;
            }
            var n = int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return null;
            }
            result[i] = (byte)n;
        }
        return result;
    }

    private static byte[]? ParseIp6(string value)
    {
        // IPAddress.TryParse also accepts brackets, scope ids and IPv4 text; only plain IPv6 is allowed here.
        if (value.Length is 0 or > 45 || !value.Contains(':', StringComparison.Ordinal)
            || !value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
        {
            return null;
        }
        if (!IPAddress.TryParse(value, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        return address.GetAddressBytes();
    }

    private static byte[]? ParsePort(string value)
    {
        if (value.Length is 0 or > 5 || !value.All(char.IsAsciiDigit))
        {
            return null;
        }
        var n = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return n > 65535 ? null : [(byte)(n >> 8), (byte)n];
    }

    private static byte[]? ParsePeerId(string value)
    {
        // base58 of a 128-byte multihash is at most ~175 characters; base32 ~210.
        if (value.Length is 0 or > 256)
        {
            return null;
        }
        byte[] bytes;
        if (value[0] == 'b')
        {
            // CIDv1, multibase 'b' (RFC 4648 base32, lowercase, no padding), codec libp2p-key (0x72).
            var cid = Base32LowerDecode(value.AsSpan(1));
            if (cid is null || cid.Length < 2 || cid[0] != 0x01 || cid[1] != 0x72)
            {
                return null;
            }
            bytes = cid[2..];
        }
        else
        {
            try
            {
                bytes = SimpleBase.Base58.Bitcoin.Decode(value);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }
        return IsMultihash(bytes) ? bytes : null;
    }

    /// <summary>A multihash: varint code, varint digest length, exactly that many digest bytes.</summary>
    private static bool IsMultihash(ReadOnlySpan<byte> value)
    {
        if (value.Length > Multiaddr.MaxPeerIdLength)
        {
            return false;
        }
        if (Varint.TryRead(value, out _, out var a) != VarintReadStatus.Done)
        {
            return false;
        }
        if (Varint.TryRead(value[a..], out var length, out var b) != VarintReadStatus.Done)
        {
            return false;
        }
        return length == (ulong)(value.Length - a - b);
    }

    private static byte[]? Base32LowerDecode(ReadOnlySpan<char> text)
    {
        var output = new byte[text.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var c in text)
        {
            int v = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (v < 0)
            {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        // Leftover bits must be fewer than one character's worth and zero (canonical encoding).
        return bits >= 5 || buffer != 0 ? null : output;
    }

    private static void AddVarint(List<byte> output, ulong value)
    {
        Span<byte> tmp = stackalloc byte[Varint.MaxLength];
        var n = Varint.Write(value, tmp);
        for (var i = 0; i < n; i++)
        {
            output.Add(tmp[i]);
        }
    }

    private static MultiaddrFormatException Bad(string text, string problem)
    {
        var shown = text.Length > 128 ? text[..128] + "..." : text;
        return new MultiaddrFormatException($"Invalid multiaddr '{shown}': {problem}.");
    }

    private static MultiaddrFormatException BadBytes(string problem) =>
        new($"Invalid multiaddr bytes: {problem}.");
}

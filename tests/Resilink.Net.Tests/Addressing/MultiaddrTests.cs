using System.Net;
using System.Net.Sockets;
using CsCheck;
using Resilink.Net.Addressing;

namespace Resilink.Net.Tests.Addressing;

public class MultiaddrTests
{
    // Binary vectors per the multiaddr spec (code varint, then fixed value or varint length + bytes).
    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/4001", "047f000001060fa1")]
    [InlineData("/ip4/0.0.0.0/tcp/0", "040000000006" + "0000")]
    [InlineData("/ip6/::1/tcp/1", "2900000000000000000000000000000001060001")]
    [InlineData("/dns4/example.com/tcp/443", "360b6578616d706c652e636f6d0601bb")]
    [InlineData("/dns/localhost/tcp/80", "35096c6f63616c686f7374060050")]
    [InlineData("/dns6/a.b/tcp/65535", "3703612e6206ffff")]
    [InlineData("/ip4/1.2.3.4/udp/53/quic-v1", "040102030491020035cd03")]
    [InlineData("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b")]
    public void Parse_SpecVector_MatchesBinaryAndRoundTrips(string text, string hex)
    {
        var ma = Multiaddr.Parse(text);
        Assert.Equal(hex, Convert.ToHexStringLower(ma.ToBytes()));
        Assert.Equal(text, ma.ToString());
        var back = Multiaddr.FromBytes(Convert.FromHexString(hex));
        Assert.Equal(ma, back);
        Assert.Equal(text, back.ToString());
    }

    [Fact]
    public void Parse_IpfsAlias_FormatsAsP2p()
    {
        var ma = Multiaddr.Parse("/ip4/1.2.3.4/tcp/1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        Assert.Equal("/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", ma.ToString());
        Assert.Equal("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", ma.PeerIdText);
    }

    [Fact]
    public void Parse_Ed25519PeerId_RoundTrips()
    {
        // identity multihash (0x00, len 36) of a protobuf PublicKey { Type = Ed25519, Data = 32 bytes }
        byte[] multihash = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20, .. Enumerable.Range(1, 32).Select(i => (byte)i)];
        var text = SimpleBase.Base58.Bitcoin.Encode(multihash);
        Assert.StartsWith("12D3KooW", text, StringComparison.Ordinal);

        var ma = Multiaddr.Parse($"/ip4/10.0.0.1/tcp/4001/p2p/{text}");
        Assert.Equal(text, ma.PeerIdText);
        Assert.Equal(multihash, ma.PeerIdBytes!.Value.ToArray());
        Assert.Equal("/ip4/10.0.0.1/tcp/4001", ma.WithoutPeerId().ToString());
        Assert.Equal(ma, Multiaddr.FromBytes(ma.ToBytes()));
    }

    [Fact]
    public void Parse_CidV1Base32PeerId_IsAccepted()
    {
        byte[] multihash = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20, .. Enumerable.Range(1, 32).Select(i => (byte)i)];
        var cid = "b" + Base32Lower([0x01, 0x72, .. multihash]);
        var ma = Multiaddr.Parse("/p2p/" + cid);
        Assert.Equal(multihash, ma.PeerIdBytes!.Value.ToArray());
        Assert.Equal("/p2p/" + SimpleBase.Base58.Bitcoin.Encode(multihash), ma.ToString());

        // wrong codec (dag-pb 0x70) is refused
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse("/p2p/b" + Base32Lower([0x01, 0x70, .. multihash])));
    }

    [Theory]
    [InlineData("/ip4/1.2.3/tcp/1", "'1.2.3' is not an IPv4 address")]
    [InlineData("/ip4/1.2.3.256/tcp/1", "'1.2.3.256' is not an IPv4 address")]
    [InlineData("/ip4/01.2.3.4", "'01.2.3.4' is not an IPv4 address")]
    [InlineData("/ip6/1.2.3.4", "'1.2.3.4' is not an IPv6 address")]
    [InlineData("/ip6/fe80::1%eth0", "is not an IPv6 address")]
    [InlineData("/ip4/1.2.3.4/tcp/65536", "'65536' is not a tcp port")]
    [InlineData("/ip4/1.2.3.4/tcp/-1", "'-1' is not a tcp port")]
    [InlineData("/ip4/1.2.3.4/tcp", "missing value for '/tcp'")]
    [InlineData("/ip4/1.2.3.4/foo/1", "unknown protocol 'foo'")]
    [InlineData("ip4/1.2.3.4", "must begin with '/'")]
    [InlineData("", "must begin with '/'")]
    [InlineData("//", "empty protocol name")]
    [InlineData("/p2p/notbase58!", "is not a peer id")]
    [InlineData("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNK", "is not a peer id")]
    [InlineData("/dns4//tcp/1", "is not a DNS name")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheProblem(string text, string expected)
    {
        var ex = Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(Multiaddr.TryParse(text, out _));
    }

    [Fact]
    public void Parse_ExampleMessage_IsExact()
    {
        var ex = Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse("/ip4/1.2.3/tcp/1"));
        Assert.Equal("Invalid multiaddr '/ip4/1.2.3/tcp/1': '1.2.3' is not an IPv4 address.", ex.Message);
    }

    [Fact]
    public void Parse_Limits_AreEnforced()
    {
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse("/" + new string('a', Multiaddr.MaxTextLength)));
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse("/dns/" + new string('a', 256)));
        var many = string.Concat(Enumerable.Repeat("/ws", Multiaddr.MaxComponents + 1));
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.Parse(many));
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes(new byte[Multiaddr.MaxBinaryLength + 1]));
    }

    [Fact]
    public void FromBytes_LengthPrefixBeyondInput_IsRefused()
    {
        // /dns with a declared length of 2^62: refused without allocating.
        byte[] bytes = [0x35, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        var ex = Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes(bytes));
        Assert.Contains("declares", ex.Message, StringComparison.Ordinal);
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes([0x04, 0x7f, 0x00])); // short ip4
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes([0x99, 0x01])); // unknown code
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes([0x80])); // truncated varint
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes([0x35, 0x01, (byte)'/'])); // '/' in dns
        Assert.Throws<MultiaddrFormatException>(() => Multiaddr.FromBytes([0x35, 0x01, 0xff])); // bad UTF-8
    }

    [Fact]
    public void Parse_TrailingSlashAndEmpty()
    {
        Assert.Equal("/ip4/1.2.3.4/tcp/5", Multiaddr.Parse("/ip4/1.2.3.4/tcp/5/").ToString());
        Assert.True(Multiaddr.Parse("/").IsEmpty);
        Assert.Equal("/", Multiaddr.FromBytes([]).ToString());
    }

    [Fact]
    public void Equality_IsBinary()
    {
        var a = Multiaddr.Parse("/ip6/0:0:0:0:0:0:0:1/tcp/1");
        var b = Multiaddr.Parse("/ip6/::1/tcp/1");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Multiaddr.Parse("/ip6/::1/tcp/2"));
        Assert.Equal(a.Components[0], b.Components[0]);
        Assert.True(Multiaddr.Parse("/ip4/1.2.3.4").Equals((object)Multiaddr.Parse("/ip4/1.2.3.4")));
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void EncapsulateDecapsulate_Work()
    {
        var baseAddr = Multiaddr.Parse("/ip4/1.2.3.4/tcp/4001");
        var full = baseAddr.Encapsulate("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        Assert.Equal("/ip4/1.2.3.4/tcp/4001/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", full.ToString());
        Assert.Equal(baseAddr, full.Decapsulate("p2p"));
        Assert.Equal(baseAddr, full.Decapsulate("/ipfs"));
        Assert.Equal("/ip4/1.2.3.4", full.Decapsulate("tcp").ToString());
        Assert.True(full.Decapsulate("ip4").IsEmpty);
        Assert.Same(full, full.Decapsulate("udp"));
        Assert.Throws<ArgumentException>(() => full.Decapsulate("nope"));

        var circuit = Multiaddr.Parse(
            "/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        Assert.Equal("/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit", circuit.Decapsulate("p2p").ToString());
        Assert.Equal(baseAddr, baseAddr.Encapsulate(Multiaddr.Empty));
        Assert.Equal(baseAddr, Multiaddr.Empty.Encapsulate(baseAddr));
    }

    [Fact]
    public void TcpEndPoints_RoundTrip()
    {
        Assert.True(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC").TryGetTcpEndPoint(out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4001), ep);
        Assert.True(Multiaddr.Parse("/ip6/::1/tcp/5").TryGetTcpEndPoint(out ep));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5), ep);
        Assert.True(Multiaddr.Parse("/dns4/example.com/tcp/443").TryGetTcpEndPoint(out ep));
        var dns = Assert.IsType<DnsEndPoint>(ep);
        Assert.Equal(("example.com", 443, AddressFamily.InterNetwork), (dns.Host, dns.Port, dns.AddressFamily));
        Assert.False(Multiaddr.Parse("/ip4/1.2.3.4/udp/1").TryGetTcpEndPoint(out _));
        Assert.False(Multiaddr.Parse("/ip4/1.2.3.4/tcp/1/ws").TryGetTcpEndPoint(out _));

        Assert.Equal("/ip4/10.1.2.3/tcp/99", Multiaddr.FromEndPoint(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 99)).ToString());
        Assert.Equal("/ip4/10.1.2.3/tcp/99", Multiaddr.FromEndPoint(new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 99)).ToString());
        Assert.Equal("/ip6/::1/tcp/7", Multiaddr.FromEndPoint(new IPEndPoint(IPAddress.IPv6Loopback, 7)).ToString());
    }

    [Fact]
    public void Fuzz_RandomStrings_OnlyFormatException()
    {
        var alphabet = Gen.Char["/ip46tcpudnsfw2p0123456789.:abcfQmKo%-"];
        var gen = Gen.OneOf(Gen.String, alphabet.Array[0, 80].Select(c => new string(c)), alphabet.Array[0, 80].Select(c => "/" + new string(c)));
        gen.Sample(TextMustParseOrThrowFormat, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Fuzz_RandomBytes_OnlyFormatException()
    {
        Gen.Byte.Array[0, 64].Sample(BytesMustParseOrThrowFormat, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Fuzz_MutatedValidInputs_OnlyFormatException()
    {
        string[] seeds =
        [
            "/ip4/127.0.0.1/tcp/4001/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
            "/ip6/2001:db8::1/tcp/443/ws",
            "/dns4/example.com/udp/1/quic-v1/p2p-circuit",
        ];
        var random = new Random(20261125);
        for (var n = 0; n < 5_000; n++)
        {
            var text = seeds[random.Next(seeds.Length)];
            var bytes = Multiaddr.Parse(text).ToBytes();

            // every truncation
            TextMustParseOrThrowFormat(text[..random.Next(text.Length + 1)]);
            BytesMustParseOrThrowFormat(bytes[..random.Next(bytes.Length + 1)]);

            // random byte flips / char flips
            var mutated = (byte[])bytes.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }
            BytesMustParseOrThrowFormat(mutated);
            var chars = text.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            TextMustParseOrThrowFormat(new string(chars));
        }
    }

    private static void TextMustParseOrThrowFormat(string text)
    {
        try
        {
            var ma = Multiaddr.Parse(text);
            // whatever parses must round-trip through bytes and canonical text
            Assert.Equal(ma, Multiaddr.FromBytes(ma.ToBytes()));
            Assert.Equal(ma, Multiaddr.Parse(ma.ToString()));
        }
        catch (FormatException)
        {
        }
    }

    private static void BytesMustParseOrThrowFormat(byte[] bytes)
    {
        try
        {
            var ma = Multiaddr.FromBytes(bytes);
            Assert.Equal(bytes, ma.ToBytes());
            Assert.Equal(ma, Multiaddr.Parse(ma.ToString()));
        }
        catch (FormatException)
        {
        }
    }

    private static string Base32Lower(byte[] data)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                sb.Append(alphabet[(buffer >> bits) & 31]);
            }
        }
        if (bits > 0)
        {
            sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }
        return sb.ToString();
    }
}

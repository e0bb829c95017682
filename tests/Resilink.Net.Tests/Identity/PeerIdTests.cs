using System.Security.Cryptography;
using Resilink.Net.Identity;

namespace Resilink.Net.Tests.Identity;

public class PeerIdTests
{
    [Fact]
    public void FromPublicKey_Ed25519Vector_UsesIdentityMultihash()
    {
        var encoded = KeyVectors.Hex(KeyVectors.Ed25519Public);
        var key = PublicKey.FromProtobuf(encoded);

        var id = PeerId.FromPublicKey(key);

        Assert.Equal(new byte[] { 0x00, 0x24 }.Concat(encoded).ToArray(), id.ToBytes());
        Assert.Equal(KeyVectors.Ed25519PeerId, id.ToString());
        Assert.Equal(key, id.TryGetPublicKey());
        Assert.True(id.Matches(key));
    }

    [Fact]
    public void FromPublicKey_Secp256k1Vector_UsesIdentityMultihash()
    {
        var encoded = KeyVectors.Hex(KeyVectors.Secp256k1Public);

        var id = PublicKey.FromProtobuf(encoded).ToPeerId();

        Assert.Equal(new byte[] { 0x00, 0x25 }.Concat(encoded).ToArray(), id.ToBytes());
        Assert.StartsWith("16Uiu2", id.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyVectors.EcdsaPublic)]
    [InlineData(KeyVectors.RsaPublic)]
    public void FromPublicKey_LongKeys_UseSha256Multihash(string hex)
    {
        var encoded = KeyVectors.Hex(hex);

        var id = PublicKey.FromProtobuf(encoded).ToPeerId();

        Assert.Equal(new byte[] { 0x12, 0x20 }.Concat(SHA256.HashData(encoded)).ToArray(), id.ToBytes());
        Assert.StartsWith("Qm", id.ToString(), StringComparison.Ordinal);
        Assert.Null(id.TryGetPublicKey());
        Assert.True(id.Matches(PublicKey.FromProtobuf(encoded)));
    }

    [Theory]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")]
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData(KeyVectors.Ed25519PeerId)]
    public void Parse_SpecExamples_RoundTripBase58AndCid(string text)
    {
        var id = PeerId.Parse(text);

        Assert.Equal(text, id.ToString());
        var cid = id.ToCidString();
        Assert.StartsWith("b", cid, StringComparison.Ordinal);
        Assert.Equal(cid.ToLowerInvariant(), cid);
        Assert.Equal(id, PeerId.Parse(cid));
    }

    [Fact]
    public void ToCidString_SpecSha256Example_MatchesSpecCid()
    {
        var id = PeerId.Parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        var fromCid = PeerId.Parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");

        Assert.Equal("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", id.ToCidString());
        Assert.Equal(id, fromCid);
    }

    [Fact]
    public void Parse_Ed25519Cid_ReturnsSamePeerWithKey()
    {
        var id = PeerId.Parse(KeyVectors.Ed25519PeerId);

        var parsed = PeerId.Parse(id.ToCidString());

        Assert.Equal(id, parsed);
        Assert.Equal(id.GetHashCode(), parsed.GetHashCode());
        Assert.NotNull(parsed.TryGetPublicKey());
    }

    [Theory]
    [InlineData("")]
    [InlineData("x12D3KooW")]
    [InlineData("12D3KooW0OIl")]                                  // not base58
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5")]  // truncated
    [InlineData("Qm")]
    [InlineData("b")]
    [InlineData("b!!!!")]
    [InlineData("bafkreie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe")] // raw codec, not libp2p-key
    public void Parse_Invalid_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => PeerId.Parse(text));
        Assert.False(PeerId.TryParse(text, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(PeerId.TryParse(null, out var id));
        Assert.Null(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1220" + "00")]              // sha256 with short digest
    [InlineData("1320" + "0000000000000000000000000000000000000000000000000000000000000000")] // sha512 code
    [InlineData("0003010203")]               // identity with bad length
    [InlineData("0002ffff")]                 // identity with non-key content
    public void FromBytes_Invalid_ThrowsFormatException(string hex)
    {
        Assert.Throws<FormatException>(() => PeerId.FromBytes(Convert.FromHexString(hex)));
    }

    [Fact]
    public void FromBytes_RandomBytes_OnlyEverThrowsFormatException()
    {
        var random = new Random(42);
        var valid = PeerId.Parse(KeyVectors.Ed25519PeerId).ToBytes();
        for (var i = 0; i < 5000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 60)];
                random.NextBytes(input);
            }
            else
            {
                input = valid[..random.Next(0, valid.Length + 1)];
                if (input.Length > 0)
                {
                    input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
                }
            }
            try
            {
                var id = PeerId.FromBytes(input);
                Assert.Equal(id, PeerId.Parse(id.ToString()));
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void Parse_RandomStrings_OnlyEverThrowsFormatException()
    {
        var random = new Random(7);
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl!=";
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 70)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }
            Assert.False(PeerId.TryParse(new string(chars), out _) && chars.Length < 2);
        }
    }

    [Fact]
    public void CompareTo_OrdersByBytes()
    {
        var a = PeerId.FromBytes(new byte[] { 0x12, 0x20 }.Concat(new byte[32]).ToArray());
        var bBytes = new byte[] { 0x12, 0x20 }.Concat(new byte[32]).ToArray();
        bBytes[^1] = 1;
        var b = PeerId.FromBytes(bBytes);

        Assert.True(a.CompareTo(b) < 0);
        Assert.True(a < b);
        Assert.True(b > a);
        Assert.NotEqual(a, b);
        Assert.True(a != b);
    }
}

using Resilink.Net.Identity;

namespace Resilink.Net.Tests.Identity;

public class KeyPairTests
{
    [Fact]
    public void FromProtobufPrivateKey_SpecVector_DerivesSpecPublicKeyAndPeerId()
    {
        using var pair = KeyPair.FromProtobufPrivateKey(KeyVectors.Hex(KeyVectors.Ed25519Private));

        Assert.Equal(KeyVectors.Hex(KeyVectors.Ed25519Public), pair.PublicKey.ToProtobuf());
        Assert.Equal(KeyVectors.Ed25519PeerId, pair.PeerId.ToString());
    }

    [Fact]
    public void ExportProtobufPrivateKey_SpecVector_RoundTripsByteForByte()
    {
        var bytes = KeyVectors.Hex(KeyVectors.Ed25519Private);
        using var pair = KeyPair.FromProtobufPrivateKey(bytes);

        Assert.Equal(bytes, pair.ExportProtobufPrivateKey());
    }

    [Fact]
    public void FromProtobufPrivateKey_SeedOnly32Bytes_Accepted()
    {
        var full = KeyVectors.Hex(KeyVectors.Ed25519Private);
        var seedOnly = new byte[] { 0x08, 0x01, 0x12, 0x20 }.Concat(full[4..36]).ToArray();

        using var pair = KeyPair.FromProtobufPrivateKey(seedOnly);

        Assert.Equal(KeyVectors.Ed25519PeerId, pair.PeerId.ToString());
    }

    [Fact]
    public void FromProtobufPrivateKey_Legacy96Bytes_Accepted()
    {
        var full = KeyVectors.Hex(KeyVectors.Ed25519Private);
        var legacy = new byte[] { 0x08, 0x01, 0x12, 0x60 }.Concat(full[4..]).Concat(full[36..]).ToArray();

        using var pair = KeyPair.FromProtobufPrivateKey(legacy);

        Assert.Equal(KeyVectors.Ed25519PeerId, pair.PeerId.ToString());
    }

    [Fact]
    public void FromProtobufPrivateKey_WrongEmbeddedPublicKey_ThrowsFormatException()
    {
        var bytes = KeyVectors.Hex(KeyVectors.Ed25519Private);
        bytes[^1] ^= 1;

        Assert.Throws<FormatException>(() => KeyPair.FromProtobufPrivateKey(bytes));
    }

    [Fact]
    public void FromProtobufPrivateKey_NonEd25519_ThrowsNotSupportedException()
    {
        Assert.Throws<NotSupportedException>(() => KeyPair.FromProtobufPrivateKey(KeyVectors.Hex(KeyVectors.Secp256k1Private)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0801")]
    [InlineData("08011203010203")]
    [InlineData("0801124001")]
    public void FromProtobufPrivateKey_Garbage_ThrowsFormatException(string hex)
    {
        Assert.Throws<FormatException>(() => KeyPair.FromProtobufPrivateKey(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Sign_GeneratedKey_VerifiesWithPublicKeyOnly()
    {
        using var pair = KeyPair.GenerateEd25519();
        var data = "payload"u8.ToArray();

        var signature = pair.Sign(data);
        var remote = PublicKey.FromProtobuf(pair.PublicKey.ToProtobuf());

        Assert.Equal(64, signature.Length);
        Assert.True(remote.Verify(data, signature));
        Assert.False(remote.Verify("payloaD"u8, signature));
        signature[0] ^= 0x80;
        Assert.False(remote.Verify(data, signature));
    }

    [Fact]
    public void Sign_Rfc8032Vector_MatchesExpectedSignature()
    {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        using var pair = KeyPair.FromEd25519Seed(
            Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        var signature = pair.Sign(ReadOnlySpan<byte>.Empty);

        Assert.Equal(
            Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            pair.PublicKey.Raw.ToArray());
        Assert.Equal(
            Convert.FromHexString(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            signature);
    }

    [Fact]
    public void GenerateEd25519_TwoCalls_DifferentPeerIds()
    {
        using var a = KeyPair.GenerateEd25519();
        using var b = KeyPair.GenerateEd25519();

        Assert.NotEqual(a.PeerId, b.PeerId);
        Assert.StartsWith("12D3KooW", a.PeerId.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_AfterDispose_ThrowsObjectDisposedException()
    {
        var pair = KeyPair.GenerateEd25519();
        pair.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pair.Sign("x"u8));
    }
}

using System.Security.Cryptography;
using Resilink.Net.Identity;

namespace Resilink.Net.Tests.Identity;

public class PublicKeyTests
{
    [Theory]
    [InlineData(KeyVectors.Ed25519Public, KeyType.Ed25519, 32)]
    [InlineData(KeyVectors.Secp256k1Public, KeyType.Secp256k1, 33)]
    [InlineData(KeyVectors.EcdsaPublic, KeyType.Ecdsa, 91)]
    [InlineData(KeyVectors.RsaPublic, KeyType.Rsa, 550)]
    public void FromProtobuf_SpecVector_RoundTripsByteForByte(string hex, KeyType type, int dataLength)
    {
        var bytes = KeyVectors.Hex(hex);

        var key = PublicKey.FromProtobuf(bytes);

        Assert.Equal(type, key.Type);
        Assert.Equal(dataLength, key.Raw.Length);
        Assert.Equal(bytes, key.ToProtobuf());
    }

    [Fact]
    public void ToProtobuf_Ed25519_HasDeterministicLayout()
    {
        var raw = KeyVectors.Hex(KeyVectors.Ed25519Public)[4..];

        var encoded = PublicKey.FromEd25519(raw).ToProtobuf();

        // field 1 varint (0x08) = 1, field 2 bytes (0x12) length 0x20, then the key.
        Assert.Equal(new byte[] { 0x08, 0x01, 0x12, 0x20 }, encoded[..4]);
        Assert.Equal(raw, encoded[4..]);
    }

    [Fact]
    public void Verify_RsaVectorKey_AcceptsSignatureFromMatchingPrivateKey()
    {
        var key = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.RsaPublic));
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.Raw.Span, out _);
        Assert.Equal(4096, rsa.KeySize);
        using var signer = RSA.Create(2048);
        var data = "hello rsa"u8.ToArray();

        // The vector key's private half is not needed: check verify against a fresh RSA key of our own.
        var own = PublicKey.Create(KeyType.Rsa, signer.ExportSubjectPublicKeyInfo());
        var signature = signer.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.True(own.Verify(data, signature));
        Assert.False(own.Verify("other"u8, signature));
        Assert.False(key.Verify(data, signature));
    }

    [Fact]
    public void Verify_EcdsaVectorKey_AcceptsDerSignatureFromSpecPrivateKey()
    {
        var key = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.EcdsaPublic));
        var privateData = KeyVectors.Hex(KeyVectors.EcdsaPrivate)[4..]; // skip 08 03 12 79 (type, Data tag, length 121)
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportECPrivateKey(privateData, out _);
        var data = "hello ecdsa"u8.ToArray();
        var signature = ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(key.Raw.ToArray(), ecdsa.ExportSubjectPublicKeyInfo());
        Assert.True(key.Verify(data, signature));
        Assert.False(key.Verify("tampered"u8, signature));
        Assert.False(key.Verify(data, signature.AsSpan(0, signature.Length - 1)));
    }

    [Fact]
    public void Verify_Secp256k1VectorKey_AcceptsSignatureFromSpecPrivateKey()
    {
        var key = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.Secp256k1Public));
        var d = KeyVectors.Hex(KeyVectors.Secp256k1Private)[4..];
        ECDsa signer;
        try
        {
            signer = ECDsa.Create(new ECParameters { Curve = ECCurve.CreateFromValue("1.3.132.0.10"), D = d });
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            Assert.Throws<NotSupportedException>(() => key.Verify("x"u8, new byte[70]));
            return;
        }
        using (signer)
        {
            var q = signer.ExportParameters(false).Q;
            var compressed = new byte[33];
            compressed[0] = (byte)((q.Y![31] & 1) == 1 ? 0x03 : 0x02);
            q.X!.CopyTo(compressed, 1);
            Assert.Equal(key.Raw.ToArray(), compressed);

            var data = "hello secp256k1"u8.ToArray();
            var signature = signer.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            Assert.True(key.Verify(data, signature));
            Assert.False(key.Verify("tampered"u8, signature));
        }
    }

    [Fact]
    public void Equals_SameTypeAndData_AreEqual()
    {
        var a = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.Ed25519Public));
        var b = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.Ed25519Public));
        var c = PublicKey.FromProtobuf(KeyVectors.Hex(KeyVectors.Secp256k1Public));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("")]
    [InlineData("08")]
    [InlineData("0801")]                       // no Data
    [InlineData("1220" + "00")]                // truncated Data
    [InlineData("0801121f" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce2")] // 31-byte Ed25519
    [InlineData("0809120100")]                 // unknown key type
    [InlineData("080312020000")]               // ECDSA with garbage DER
    [InlineData("080212210400")]               // secp256k1 too short / bad prefix
    [InlineData("ffffffffffffffffffffff")]
    public void FromProtobuf_Garbage_ThrowsFormatException(string hex)
    {
        Assert.Throws<FormatException>(() => PublicKey.FromProtobuf(Convert.FromHexString(hex)));
    }

    [Fact]
    public void FromProtobuf_DataOver8KiB_ThrowsFormatException()
    {
        var data = new byte[8 * 1024 + 1];
        var encoded = new byte[] { 0x08, 0x00, 0x12, 0x81, 0x40 }.Concat(data).ToArray();

        var ex = Assert.Throws<FormatException>(() => PublicKey.FromProtobuf(encoded));
        Assert.Contains("8192", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProtobuf_RandomBytes_OnlyEverThrowsFormatException()
    {
        var random = new Random(1234);
        var valid = KeyVectors.Hex(KeyVectors.Ed25519Public);
        for (var i = 0; i < 5000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 80)];
                random.NextBytes(input);
            }
            else
            {
                // Mutations and truncations of a valid key hit the deeper parse paths.
                input = valid[..random.Next(0, valid.Length + 1)].ToArray();
                if (input.Length > 0)
                {
                    input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
                }
            }
            try
            {
                var key = PublicKey.FromProtobuf(input);
                Assert.True(key.ToProtobuf().Length > 0);
            }
            catch (FormatException)
            {
            }
        }
    }
}

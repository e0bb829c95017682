using System.Security.Cryptography;
using Google.Protobuf;
using KeysPb = Resilink.Net.Identity.Protobuf;

namespace Resilink.Net.Identity;

/// <summary>
/// A libp2p public key: a key type plus the type-specific key bytes (the <c>Data</c> field of the
/// <c>PublicKey</c> protobuf of the peer-ids spec). Immutable and safe to share between threads.
/// </summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Largest accepted <c>Data</c> field, in bytes.</summary>
    public const int MaxDataLength = 8 * 1024;

    private const int MinRsaBits = 2048;
    private const int MaxRsaBits = 8192;

    private readonly byte[] _data;
    private byte[]? _protobuf;
    private NSec.Cryptography.PublicKey? _ed25519;

    private PublicKey(KeyType type, byte[] data)
    {
        Type = type;
        _data = data;
    }

    /// <summary>The key type.</summary>
    public KeyType Type { get; }

    /// <summary>The type-specific key encoding (the protobuf <c>Data</c> field).</summary>
    public ReadOnlyMemory<byte> Raw => _data;

    /// <summary>Creates an Ed25519 public key from its raw 32 bytes.</summary>
    /// <exception cref="FormatException">The key is not 32 bytes.</exception>
    public static PublicKey FromEd25519(ReadOnlySpan<byte> raw32) => Create(KeyType.Ed25519, raw32);

    /// <summary>Creates a public key of <paramref name="type"/> from its type-specific encoding, validating it.</summary>
    /// <exception cref="FormatException">The encoding is not valid for the key type.</exception>
    public static PublicKey Create(KeyType type, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxDataLength)
        {
            throw new FormatException($"Public key data is {data.Length} bytes; at most {MaxDataLength} are accepted.");
        }
        var key = new PublicKey(type, data.ToArray());
        key.Validate();
        return key;
    }

    /// <summary>Decodes a serialized <c>PublicKey</c> protobuf message.</summary>
    /// <exception cref="FormatException">The bytes are not a valid, supported public key.</exception>
    public static PublicKey FromProtobuf(ReadOnlySpan<byte> protobuf)
    {
        // Tag, length varint (at most 2 bytes for 8 KiB), data, plus the type field.
        if (protobuf.Length > MaxDataLength + 16)
        {
            throw new FormatException($"Public key protobuf is {protobuf.Length} bytes, too long.");
        }
        KeysPb.PublicKey message;
        try
        {
            message = KeysPb.PublicKey.Parser.ParseFrom(protobuf);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException("Public key protobuf is malformed: " + ex.Message, ex);
        }
        if (!message.HasType)
        {
            throw new FormatException("Public key protobuf has no (known) Type field.");
        }
        if (!message.HasData)
        {
            throw new FormatException("Public key protobuf has no Data field.");
        }
        var type = (KeyType)(int)message.Type;
        if (!Enum.IsDefined(type))
        {
            throw new FormatException($"Public key protobuf has unknown key type {(int)type}.");
        }
        return Create(type, message.Data.Span);
    }

    /// <summary>Encodes this key as a deterministic <c>PublicKey</c> protobuf message.</summary>
    public byte[] ToProtobuf() => (byte[])GetProtobuf().Clone();

    /// <summary>Derives the peer ID of this key.</summary>
    public PeerId ToPeerId() => PeerId.FromPublicKey(this);

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="data"/> with the signing rules of the key type.
    /// Returns false for any invalid or malformed signature.
    /// </summary>
    /// <exception cref="NotSupportedException">The platform cannot verify this key type (secp256k1 without OS support).</exception>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return VerifyCore(data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (Type)
        {
            case KeyType.Ed25519:
                _ed25519 ??= ImportEd25519(_data);
                return NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(_ed25519, data, signature);
            case KeyType.Rsa:
                {
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(_data, out _);
                    return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }
            case KeyType.Ecdsa:
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(_data, out _);
                    return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }
            case KeyType.Secp256k1:
                {
                    using var ecdsa = CreateSecp256k1(_data);
                    return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(PublicKey? other) =>
        other is not null && (ReferenceEquals(this, other) || (Type == other.Type && _data.AsSpan().SequenceEqual(other._data)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(PublicKey? left, PublicKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(PublicKey? left, PublicKey? right) => !(left == right);

    /// <inheritdoc />
    public override string ToString() => $"{Type} public key ({_data.Length} bytes)";

    /// <summary>The cached protobuf encoding; callers must not mutate it.</summary>
    internal byte[] GetProtobuf()
    {
        if (_protobuf is null)
        {
            var message = new KeysPb.PublicKey { Type = (KeysPb.KeyType)(int)Type, Data = ByteString.CopyFrom(_data) };
            _protobuf = message.ToByteArray();
        }
        return _protobuf;
    }

    private void Validate()
    {
        switch (Type)
        {
            case KeyType.Ed25519:
                if (_data.Length != 32)
                {
                    throw new FormatException($"Ed25519 public key must be 32 bytes, got {_data.Length}.");
                }
                _ed25519 = ImportEd25519(_data);
                break;
            case KeyType.Rsa:
                try
                {
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(_data, out var read);
                    if (read != _data.Length)
                    {
                        throw new FormatException("RSA public key has trailing bytes after the PKIX structure.");
                    }
                    if (rsa.KeySize is < MinRsaBits or > MaxRsaBits)
                    {
                        throw new FormatException($"RSA key size {rsa.KeySize} bits is outside {MinRsaBits}..{MaxRsaBits}.");
                    }
                }
                catch (CryptographicException ex)
                {
                    throw new FormatException("RSA public key is not valid DER PKIX: " + ex.Message, ex);
                }
                break;
            case KeyType.Ecdsa:
                try
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(_data, out var read);
                    if (read != _data.Length)
                    {
                        throw new FormatException("ECDSA public key has trailing bytes after the PKIX structure.");
                    }
                }
                catch (CryptographicException ex)
                {
                    throw new FormatException("ECDSA public key is not valid DER PKIX: " + ex.Message, ex);
                }
                break;
            case KeyType.Secp256k1:
                if (!Secp256k1Point.TryDecode(_data, out _, out _))
                {
                    throw new FormatException("secp256k1 public key is not a valid 33- or 65-byte SEC1 point on the curve.");
                }
                break;
            default:
                throw new FormatException($"Unknown key type {(int)Type}.");
        }
    }

    private static NSec.Cryptography.PublicKey ImportEd25519(byte[] raw)
    {
        if (!NSec.Cryptography.PublicKey.TryImport(
                NSec.Cryptography.SignatureAlgorithm.Ed25519, raw, NSec.Cryptography.KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new FormatException("Ed25519 public key bytes are not a valid key.");
        }
        return key;
    }

    private static ECDsa CreateSecp256k1(byte[] data)
    {
        if (!Secp256k1Point.TryDecode(data, out var x, out var y))
        {
            throw new FormatException("secp256k1 public key is not a valid point.");
        }
        try
        {
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.CreateFromValue(Secp256k1Point.CurveOid),
                Q = new ECPoint { X = x, Y = y },
            });
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            throw new NotSupportedException("secp256k1 signature verification is not supported by this platform's cryptography provider.", ex);
        }
    }
}

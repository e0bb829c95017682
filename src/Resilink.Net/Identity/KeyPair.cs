using System.Security.Cryptography;
using Google.Protobuf;
using NSec.Cryptography;
using KeysPb = Resilink.Net.Identity.Protobuf;

namespace Resilink.Net.Identity;

/// <summary>
/// A libp2p identity key pair (currently Ed25519). Signing is thread-safe.
/// Dispose it to release the private key material.
/// </summary>
public sealed class KeyPair : IDisposable
{
    private const int Ed25519SeedLength = 32;
    private const int Ed25519PublicLength = 32;

    private readonly Key _key;
    private bool _disposed;

    private KeyPair(Key key)
    {
        _key = key;
        PublicKey = PublicKey.FromEd25519(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        PeerId = PeerId.FromPublicKey(PublicKey);
    }

    /// <summary>The public half.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The peer ID derived from <see cref="PublicKey"/>.</summary>
    public PeerId PeerId { get; }

    /// <summary>Generates a fresh random Ed25519 key pair.</summary>
    public static KeyPair GenerateEd25519() => new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Creates the Ed25519 key pair of a 32-byte seed (the RFC 8032 private key).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static KeyPair FromEd25519Seed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != Ed25519SeedLength)
        {
            throw new ArgumentException($"Ed25519 seed must be {Ed25519SeedLength} bytes, got {seed32.Length}.", nameof(seed32));
        }
        return new KeyPair(Key.Import(SignatureAlgorithm.Ed25519, seed32, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>
    /// Loads a serialized <c>PrivateKey</c> protobuf. Ed25519 data may be 64 bytes (seed || public key, the libp2p
    /// format), 96 bytes (legacy seed || public || public) or a bare 32-byte seed.
    /// </summary>
    /// <exception cref="FormatException">The bytes are malformed or the embedded public key does not match.</exception>
    /// <exception cref="NotSupportedException">The key type is not Ed25519.</exception>
    public static KeyPair FromProtobufPrivateKey(ReadOnlySpan<byte> protobuf)
    {
        if (protobuf.Length > PublicKey.MaxDataLength + 16)
        {
            throw new FormatException($"Private key protobuf is {protobuf.Length} bytes, too long.");
        }
        KeysPb.PrivateKey message;
        try
        {
            message = KeysPb.PrivateKey.Parser.ParseFrom(protobuf);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException("Private key protobuf is malformed: " + ex.Message, ex);
        }
        if (!message.HasType || !message.HasData)
        {
            throw new FormatException("Private key protobuf lacks its Type or Data field.");
        }
        var type = (KeyType)(int)message.Type;
        if (type != KeyType.Ed25519)
        {
            throw new NotSupportedException($"Only Ed25519 private keys are supported, got {type}.");
        }
        var data = message.Data.Span;
        ReadOnlySpan<byte> embeddedPublic;
        switch (data.Length)
        {
            case Ed25519SeedLength:
                embeddedPublic = default;
                break;
            case Ed25519SeedLength + Ed25519PublicLength:
                embeddedPublic = data[Ed25519SeedLength..];
                break;
            case Ed25519SeedLength + (2 * Ed25519PublicLength):
                embeddedPublic = data.Slice(Ed25519SeedLength, Ed25519PublicLength);
                if (!embeddedPublic.SequenceEqual(data[(Ed25519SeedLength + Ed25519PublicLength)..]))
                {
                    throw new FormatException("Legacy 96-byte Ed25519 private key has two different public keys.");
                }
                break;
            default:
                throw new FormatException($"Ed25519 private key data must be 32, 64 or 96 bytes, got {data.Length}.");
        }
        var pair = FromEd25519Seed(data[..Ed25519SeedLength]);
        if (!embeddedPublic.IsEmpty && !embeddedPublic.SequenceEqual(pair.PublicKey.Raw.Span))
        {
            pair.Dispose();
            throw new FormatException("Ed25519 private key data embeds a public key that does not belong to its seed.");
        }
        return pair;
    }

    /// <summary>Serializes the private key as a <c>PrivateKey</c> protobuf (Ed25519 data = seed || public key).</summary>
    public byte[] ExportProtobufPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var data = new byte[Ed25519SeedLength + Ed25519PublicLength];
        try
        {
            if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, data, out var written) || written != Ed25519SeedLength)
            {
                throw new CryptographicException("Could not export the Ed25519 seed.");
            }
            PublicKey.Raw.Span.CopyTo(data.AsSpan(Ed25519SeedLength));
            var message = new KeysPb.PrivateKey { Type = KeysPb.KeyType.Ed25519, Data = ByteString.CopyFrom(data) };
            return message.ToByteArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>Signs <paramref name="data"/> (Ed25519, RFC 8032).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SignatureAlgorithm.Ed25519.Sign(_key, data);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }
}

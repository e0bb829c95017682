using System.Security.Cryptography;
using Resilink.Net.Encoding;
using SimpleBase;

namespace Resilink.Net.Identity;

/// <summary>
/// A libp2p peer ID: the multihash of a public key's protobuf encoding — the identity multihash when
/// the encoding is at most 42 bytes (Ed25519, secp256k1), sha2-256 otherwise (RSA, ECDSA).
/// Immutable; equality, hashing and ordering are by the multihash bytes.
/// </summary>
public sealed class PeerId : IEquatable<PeerId>, IComparable<PeerId>
{
    /// <summary>Longest public key encoding that is inlined with the identity multihash.</summary>
    public const int MaxInlineKeyLength = 42;

    private const byte IdentityCode = 0x00;
    private const byte Sha256Code = 0x12;
    private const byte Sha256Length = 32;
    private const byte CidVersion1 = 0x01;
    private const byte Libp2pKeyCodec = 0x72;

    private readonly byte[] _bytes;
    private readonly PublicKey? _inlineKey;
    private string? _base58;

    private PeerId(byte[] bytes, PublicKey? inlineKey)
    {
        _bytes = bytes;
        _inlineKey = inlineKey;
    }

    /// <summary>The multihash bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>A copy of the multihash bytes.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Derives the peer ID of <paramref name="publicKey"/>.</summary>
    public static PeerId FromPublicKey(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var encoded = publicKey.GetProtobuf();
        if (encoded.Length <= MaxInlineKeyLength)
        {
            var bytes = new byte[2 + encoded.Length];
            bytes[0] = IdentityCode;
            bytes[1] = (byte)encoded.Length;
            encoded.CopyTo(bytes, 2);
            return new PeerId(bytes, publicKey);
        }
        var hashed = new byte[2 + Sha256Length];
        hashed[0] = Sha256Code;
        hashed[1] = Sha256Length;
        SHA256.HashData(encoded, hashed.AsSpan(2));
        return new PeerId(hashed, null);
    }

    /// <summary>
    /// Creates a peer ID from its multihash bytes. Accepts an identity multihash of a valid public key
    /// protobuf (at most 42 bytes) or a sha2-256 multihash.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not such a multihash.</exception>
    public static PeerId FromBytes(ReadOnlySpan<byte> multihash)
    {
        if (multihash.Length < 2)
        {
            throw new FormatException($"Peer ID multihash is {multihash.Length} bytes; too short.");
        }
        var code = multihash[0];
        var length = multihash[1];
        var digest = multihash[2..];
        switch (code)
        {
            case Sha256Code:
                if (length != Sha256Length || digest.Length != Sha256Length)
                {
                    throw new FormatException(
                        $"Peer ID sha2-256 multihash must have a 32-byte digest; header says {length}, {digest.Length} bytes follow.");
                }
                return new PeerId(multihash.ToArray(), null);
            case IdentityCode:
                if (length > MaxInlineKeyLength || length != digest.Length)
                {
                    throw new FormatException(
                        $"Peer ID identity multihash length {length} is invalid ({digest.Length} bytes follow, at most {MaxInlineKeyLength} allowed).");
                }
                PublicKey key;
                try
                {
                    key = PublicKey.FromProtobuf(digest);
                }
                catch (FormatException ex)
                {
                    throw new FormatException("Peer ID identity multihash does not contain a valid public key: " + ex.Message, ex);
                }
                return new PeerId(multihash.ToArray(), key);
            default:
                throw new FormatException($"Peer ID multihash code 0x{code:x2} is neither identity (0x00) nor sha2-256 (0x12).");
        }
    }

    /// <summary>
    /// Parses a peer ID from a base58btc multihash (<c>12D3KooW…</c>, <c>Qm…</c>) or a CIDv1 with the
    /// <c>libp2p-key</c> codec in multibase base32 (<c>b…</c>) or base58btc (<c>z…</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid peer ID.</exception>
    public static PeerId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("Peer ID string is empty.");
        }
        if (text.Length > 512)
        {
            throw new FormatException($"Peer ID string is {text.Length} characters; too long.");
        }
        switch (text[0])
        {
            case '1':
            case 'Q':
                return FromBytes(DecodeBase58(text, "base58btc peer ID"));
            case 'b':
                {
                    byte[] cid;
                    try
                    {
                        cid = Base32.Rfc4648.Decode(text.AsSpan(1));
                    }
                    catch (Exception ex) when (ex is ArgumentException or FormatException)
                    {
                        throw new FormatException("Peer ID CID is not valid base32: " + ex.Message, ex);
                    }
                    return FromCid(cid);
                }
            case 'z':
                return FromCid(DecodeBase58(text[1..], "base58btc peer ID CID"));
            default:
                throw new FormatException(
                    $"Peer ID string starts with '{text[0]}'; expected base58btc ('1', 'Qm') or a multibase CID ('b', 'z').");
        }
    }

    /// <summary>Tries to parse a peer ID; see <see cref="Parse"/>.</summary>
    public static bool TryParse(string? text, out PeerId? peerId)
    {
        peerId = null;
        if (text is null)
        {
            return false;
        }
        try
        {
            peerId = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The public key inlined in an identity-multihash peer ID, or null for hashed IDs.</summary>
    public PublicKey? TryGetPublicKey() => _inlineKey;

    /// <summary>Whether <paramref name="publicKey"/> derives this peer ID.</summary>
    public bool Matches(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Equals(FromPublicKey(publicKey));
    }

    /// <summary>The canonical base58btc text form of the multihash.</summary>
    public override string ToString() => _base58 ??= Base58.Bitcoin.Encode(_bytes);

    /// <summary>The CIDv1 (<c>libp2p-key</c>) text form in multibase base32 (lower case, no padding), e.g. <c>bafz…</c>.</summary>
    public string ToCidString()
    {
        var cid = new byte[2 + _bytes.Length];
        cid[0] = CidVersion1;
        cid[1] = Libp2pKeyCodec;
        _bytes.CopyTo(cid, 2);
        return "b" + Base32.Rfc4648.Encode(cid, padding: false).ToLowerInvariant();
    }

    /// <inheritdoc />
    public bool Equals(PeerId? other) =>
        other is not null && (ReferenceEquals(this, other) || _bytes.AsSpan().SequenceEqual(other._bytes));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PeerId);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Orders by the multihash bytes (lexicographically).</summary>
    public int CompareTo(PeerId? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Value equality.</summary>
    public static bool operator ==(PeerId? left, PeerId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(PeerId? left, PeerId? right) => !(left == right);

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <(PeerId? left, PeerId? right) => Compare(left, right) < 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator <=(PeerId? left, PeerId? right) => Compare(left, right) <= 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >(PeerId? left, PeerId? right) => Compare(left, right) > 0;

    /// <summary>Byte-wise ordering.</summary>
    public static bool operator >=(PeerId? left, PeerId? right) => Compare(left, right) >= 0;

    private static int Compare(PeerId? left, PeerId? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static PeerId FromCid(ReadOnlySpan<byte> cid)
    {
        var version = Varint.TryRead(cid, out var v, out var n);
        if (version != VarintReadStatus.Done || v != CidVersion1)
        {
            throw new FormatException("Peer ID CID is not CIDv1.");
        }
        cid = cid[n..];
        var codecStatus = Varint.TryRead(cid, out var codec, out n);
        if (codecStatus != VarintReadStatus.Done)
        {
            throw new FormatException("Peer ID CID has a malformed multicodec.");
        }
        if (codec != Libp2pKeyCodec)
        {
            throw new FormatException($"Peer ID CID multicodec is 0x{codec:x}; expected libp2p-key (0x72).");
        }
        return FromBytes(cid[n..]);
    }

    private static byte[] DecodeBase58(string text, string what)
    {
        try
        {
            return Base58.Bitcoin.Decode(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"The {what} is not valid base58btc: {ex.Message}", ex);
        }
    }
}

using System.Security.Cryptography;

namespace Resilink.Net.Security.Noise;

/// <summary>Noise <c>SymmetricState</c> with SHA-256 (chaining key, handshake hash, cipher state).</summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = 32;

    private readonly byte[] _ck = new byte[HashLength];
    private readonly byte[] _h = new byte[HashLength];
    private readonly NoiseCipherState _cipher = new();

    public NoiseSymmetricState(string protocolName)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashLength)
        {
            name.CopyTo(_h, 0);
        }
        else
        {
            SHA256.HashData(name, _h);
        }
        _h.CopyTo(_ck, 0);
    }

    public ReadOnlySpan<byte> HandshakeHash => _h;

    public bool HasKey => _cipher.HasKey;

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> tempK = stackalloc byte[HashLength];
        Hkdf2(_ck, inputKeyMaterial, _ck, tempK);
        _cipher.InitializeKey(tempK);
        CryptographicOperations.ZeroMemory(tempK);
    }

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_h);
        hash.AppendData(data);
        hash.GetHashAndReset(_h);
    }

    /// <summary>Encrypts (if keyed) and mixes the ciphertext into h; returns bytes written.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var n = _cipher.EncryptWithAd(_h, plaintext, destination);
        MixHash(destination[..n]);
        return n;
    }

    /// <summary>Decrypts (if keyed) and mixes the ciphertext into h; returns plaintext bytes written.</summary>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        Span<byte> newH = stackalloc byte[HashLength];
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            hash.AppendData(_h);
            hash.AppendData(ciphertext);
            hash.GetHashAndReset(newH);
        }
        var n = _cipher.DecryptWithAd(_h, ciphertext, destination);
        newH.CopyTo(_h);
        return n;
    }

    /// <summary>Derives the two transport cipher states (initiator→responder, responder→initiator).</summary>
    public (NoiseCipherState First, NoiseCipherState Second) Split()
    {
        Span<byte> k1 = stackalloc byte[HashLength];
        Span<byte> k2 = stackalloc byte[HashLength];
        Hkdf2(_ck, ReadOnlySpan<byte>.Empty, k1, k2);
        var c1 = new NoiseCipherState();
        var c2 = new NoiseCipherState();
        c1.InitializeKey(k1[..NoiseCipherState.KeyLength]);
        c2.InitializeKey(k2[..NoiseCipherState.KeyLength]);
        CryptographicOperations.ZeroMemory(k1);
        CryptographicOperations.ZeroMemory(k2);
        return (c1, c2);
    }

    public void Dispose()
    {
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_ck);
    }

    /// <summary>Noise HKDF with two outputs (HMAC-SHA256): temp = HMAC(ck, ikm); o1 = HMAC(temp, 0x01); o2 = HMAC(temp, o1 || 0x02).</summary>
    internal static void Hkdf2(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> ikm, Span<byte> output1, Span<byte> output2)
    {
        Span<byte> temp = stackalloc byte[HashLength];
        Span<byte> input = stackalloc byte[HashLength + 1];
        Span<byte> o1 = stackalloc byte[HashLength];
        HMACSHA256.HashData(chainingKey, ikm, temp);
        input[0] = 0x01;
        HMACSHA256.HashData(temp, input[..1], o1);
        o1.CopyTo(input);
        input[HashLength] = 0x02;
        HMACSHA256.HashData(temp, input, output2);
        o1.CopyTo(output1);
        CryptographicOperations.ZeroMemory(temp);
        CryptographicOperations.ZeroMemory(o1);
        CryptographicOperations.ZeroMemory(input);
    }
}

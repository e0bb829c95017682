using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Resilink.Net.Security.Noise;

/// <summary>
/// Noise <c>CipherState</c> for ChaChaPoly: a key and a 64-bit nonce counter. The AEAD nonce is
/// 4 zero bytes followed by the counter in little-endian. Not thread-safe; one instance per direction.
/// </summary>
internal sealed class NoiseCipherState : IDisposable
{
    public const int KeyLength = 32;
    public const int TagLength = 16;

    private ChaCha20Poly1305? _aead;
    private ulong _nonce;
    private bool _disposed;

    public bool HasKey => _aead is not null;

    /// <summary>The next nonce (exposed for tests).</summary>
    public ulong Nonce => _nonce;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _aead?.Dispose();
        _aead = new ChaCha20Poly1305(key);
        _nonce = 0;
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> as ciphertext || tag
    /// (or copies it when there is no key yet) and returns the bytes written. The two may overlap exactly.
    /// </summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        // After Dispose the key is gone; failing beats the "no key yet" pass-through that would send plaintext.
        // Read the key once: a concurrent Dispose must not turn this into the keyless pass-through halfway.
        var aead = _aead;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (aead is null)
        {
            plaintext.CopyTo(destination);
            return plaintext.Length;
        }
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), ad);
        return plaintext.Length + TagLength;
    }

    /// <summary>
    /// Decrypts ciphertext || tag into <paramref name="destination"/> (or copies when there is no key)
    /// and returns the plaintext length. The two may overlap exactly.
    /// </summary>
    /// <exception cref="NoiseHandshakeException">Authentication failed or the message is shorter than a tag.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        var aead = _aead;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (aead is null)
        {
            ciphertext.CopyTo(destination);
            return ciphertext.Length;
        }
        if (ciphertext.Length < TagLength)
        {
            throw new NoiseHandshakeException($"Noise ciphertext of {ciphertext.Length} bytes is shorter than the {TagLength}-byte tag.");
        }
        var plainLength = ciphertext.Length - TagLength;
        Span<byte> nonce = stackalloc byte[12];
        BuildNonce(nonce);
        try
        {
            aead.Decrypt(nonce, ciphertext[..plainLength], ciphertext[plainLength..], destination[..plainLength], ad);
        }
        catch (CryptographicException ex)
        {
            throw new NoiseHandshakeException("Noise decryption failed: the message was corrupted or forged.", ex);
        }
        _nonce++;
        return plainLength;
    }

    public void Dispose()
    {
        // Mark first, keep the (disposed) key object: a racing encrypt then fails on ObjectDisposedException from
        // the flag or the key itself, and never sees "no key" and copies plaintext through.
        _disposed = true;
        _aead?.Dispose();
    }

    private void NextNonce(Span<byte> nonce)
    {
        BuildNonce(nonce);
        _nonce++;
    }

    private void BuildNonce(Span<byte> nonce)
    {
        // 2^64-1 is reserved by the Noise spec; the connection must end before reusing a nonce.
        if (_nonce == ulong.MaxValue)
        {
            throw new NoiseHandshakeException("Noise nonce space exhausted; the connection must be closed.");
        }
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce);
    }
}

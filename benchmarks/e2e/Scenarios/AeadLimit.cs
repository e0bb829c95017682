using System.Diagnostics;
using System.Security.Cryptography;

namespace Resilink.E2e.Scenarios;

/// <summary>
/// (e) ChaCha20-Poly1305 on one core, in Noise-sized frames: the most a single Noise connection can carry,
/// since every byte is encrypted once by the sender and decrypted once by the receiver.
/// </summary>
internal static class AeadLimit
{
    public static Measurement Run(long bytes)
    {
        const int frame = 65519;
        using var aead = new ChaCha20Poly1305(RandomNumberGenerator.GetBytes(32));
        var plaintext = RandomNumberGenerator.GetBytes(frame);
        var ciphertext = new byte[frame];
        var tag = new byte[16];
        var nonce = new byte[12];
        var watch = Stopwatch.StartNew();
        long done = 0;
        for (ulong counter = 0; done < bytes; counter++, done += frame)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter);
            aead.Encrypt(nonce, plaintext, ciphertext, tag);
            aead.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        watch.Stop();
        return new Measurement("(e) ChaCha20-Poly1305 encrypt+decrypt, 1 core", Measurement.Rate(done, watch.Elapsed));
    }
}

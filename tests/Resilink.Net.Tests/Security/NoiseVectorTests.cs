using NSec.Cryptography;
using Resilink.Net.Security.Noise;

namespace Resilink.Net.Tests.Security;

public class NoiseVectorTests
{
    // cacophony vectors (haskell-cryptography/cacophony, vectors/cacophony.txt): Noise_XX_25519_ChaChaPoly_SHA256.
    private const string Prologue = "4a6f686e2047616c74";
    private const string InitStatic = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
    private const string InitEphemeral = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
    private const string RespStatic = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
    private const string RespEphemeral = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
    private const string HandshakeHash = "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";

    private static readonly (string Payload, string Ciphertext)[] Messages =
    [
        ("4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"),
        ("4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c9326ad"),
        ("462e20412e20486179656b",
            "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"),
        ("4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"),
        ("4a65616e2d426170746973746520536179", "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"),
        ("457567656e2042f6686d20766f6e2042617765726b", "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"),
    ];

    private static byte[] H(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void XXHandshake_CacophonyVector_ProducesExpectedMessagesAndTransportCiphertexts()
    {
        using var initStatic = NoiseXXHandshakeState.ImportX25519PrivateKey(H(InitStatic));
        using var respStatic = NoiseXXHandshakeState.ImportX25519PrivateKey(H(RespStatic));
        using var initiator = new NoiseXXHandshakeState(true, initStatic, H(Prologue),
            () => NoiseXXHandshakeState.ImportX25519PrivateKey(H(InitEphemeral)));
        using var responder = new NoiseXXHandshakeState(false, respStatic, H(Prologue),
            () => NoiseXXHandshakeState.ImportX25519PrivateKey(H(RespEphemeral)));

        for (var i = 0; i < 3; i++)
        {
            var (sender, receiver) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            var message = sender.WriteMessage(H(Messages[i].Payload));
            Assert.Equal(Messages[i].Ciphertext, Convert.ToHexStringLower(message));
            Assert.Equal(H(Messages[i].Payload), receiver.ReadMessage(message));
        }

        Assert.Equal(HandshakeHash, Convert.ToHexStringLower(initiator.HandshakeHash));
        Assert.Equal(HandshakeHash, Convert.ToHexStringLower(responder.HandshakeHash));
        Assert.Equal(respStatic.PublicKey.Export(KeyBlobFormat.RawPublicKey), initiator.RemoteStaticPublicKey.ToArray());
        Assert.Equal(initStatic.PublicKey.Export(KeyBlobFormat.RawPublicKey), responder.RemoteStaticPublicKey.ToArray());

        var (initSend, initReceive) = initiator.Split();
        var (respSend, respReceive) = responder.Split();
        using (initSend)
        using (initReceive)
        using (respSend)
        using (respReceive)
        {
            // Transport messages continue the alternation: responder, initiator, responder.
            for (var i = 3; i < Messages.Length; i++)
            {
                var (send, receive) = i % 2 == 0 ? (initSend, respReceive) : (respSend, initReceive);
                var payload = H(Messages[i].Payload);
                var ciphertext = new byte[payload.Length + NoiseCipherState.TagLength];
                send.EncryptWithAd(ReadOnlySpan<byte>.Empty, payload, ciphertext);
                Assert.Equal(Messages[i].Ciphertext, Convert.ToHexStringLower(ciphertext));
                var plain = new byte[payload.Length];
                receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, ciphertext, plain);
                Assert.Equal(payload, plain);
            }
        }
    }

    [Fact]
    public void Hkdf2_Rfc5869StyleInputs_MatchesManualHmacChain()
    {
        var ck = new byte[32];
        ck[0] = 1;
        var ikm = new byte[] { 9, 8, 7 };
        var o1 = new byte[32];
        var o2 = new byte[32];

        NoiseSymmetricState.Hkdf2(ck, ikm, o1, o2);

        var temp = System.Security.Cryptography.HMACSHA256.HashData(ck, ikm);
        var e1 = System.Security.Cryptography.HMACSHA256.HashData(temp, new byte[] { 1 });
        var e2 = System.Security.Cryptography.HMACSHA256.HashData(temp, e1.Concat(new byte[] { 2 }).ToArray());
        Assert.Equal(e1, o1);
        Assert.Equal(e2, o2);
    }
}

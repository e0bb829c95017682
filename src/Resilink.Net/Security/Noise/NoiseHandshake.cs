using Google.Protobuf;
using Resilink.Net.Identity;
using NoisePb = Resilink.Net.Security.Noise.Protobuf;

namespace Resilink.Net.Security.Noise;

/// <summary>
/// libp2p Noise (<c>Noise_XX_25519_ChaChaPoly_SHA256</c>, empty prologue, 2-byte big-endian framing).
/// The responder sends its signed identity payload in message 2, the initiator in message 3.
/// On any failure or cancellation the inner stream is disposed.
/// </summary>
public static class NoiseHandshake
{
    /// <summary>The multistream-select protocol ID.</summary>
    public const string ProtocolId = "/noise";

    private static readonly byte[] StaticKeySignaturePrefix = "noise-libp2p-static-key:"u8.ToArray();

    /// <summary>Secures an outbound (dialled) connection as the Noise initiator.</summary>
    /// <param name="inner">The raw connection; owned by the returned stream.</param>
    /// <param name="localIdentity">This node's identity key.</param>
    /// <param name="expectedRemote">The peer we dialled, or null to accept any authenticated peer.</param>
    /// <param name="cancellationToken">Aborts the handshake (disposing <paramref name="inner"/>).</param>
    /// <exception cref="PeerIdMismatchException">The remote is not <paramref name="expectedRemote"/>.</exception>
    /// <exception cref="NoiseHandshakeException">The remote sent malformed or unauthenticated data.</exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public static ValueTask<NoiseSecureStream> SecureOutboundAsync(
        Stream inner, KeyPair localIdentity, PeerId? expectedRemote, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(localIdentity);
        return RunAsync(inner, localIdentity, initiator: true, expectedRemote, null, cancellationToken);
    }

    /// <summary>Secures an inbound (accepted) connection as the Noise responder.</summary>
    /// <param name="inner">The raw connection; owned by the returned stream.</param>
    /// <param name="localIdentity">This node's identity key.</param>
    /// <param name="cancellationToken">Aborts the handshake (disposing <paramref name="inner"/>).</param>
    /// <exception cref="NoiseHandshakeException">The remote sent malformed or unauthenticated data.</exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public static ValueTask<NoiseSecureStream> SecureInboundAsync(
        Stream inner, KeyPair localIdentity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(localIdentity);
        return RunAsync(inner, localIdentity, initiator: false, null, null, cancellationToken);
    }

    /// <summary>Handshake with an injectable ephemeral key factory (tests).</summary>
    internal static async ValueTask<NoiseSecureStream> RunAsync(
        Stream inner,
        KeyPair localIdentity,
        bool initiator,
        PeerId? expectedRemote,
        Func<NSec.Cryptography.Key>? ephemeralFactory,
        CancellationToken cancellationToken)
    {
        // Streams that ignore cancellation tokens are unblocked by closing them.
        var registration = cancellationToken.Register(static s => ((Stream)s!).Dispose(), inner);
        using var staticKey = NoiseXXHandshakeState.CreateX25519Key();
        using var state = new NoiseXXHandshakeState(initiator, staticKey, ReadOnlySpan<byte>.Empty, ephemeralFactory);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var localPayload = BuildPayload(localIdentity, state.LocalStaticPublicKey);
            (PeerId PeerId, PublicKey Key) remote;
            if (initiator)
            {
                await WriteFrameAsync(inner, state.WriteMessage(ReadOnlySpan<byte>.Empty), cancellationToken).ConfigureAwait(false);
                var message2 = await ReadFrameAsync(inner, cancellationToken).ConfigureAwait(false);
                remote = VerifyPayload(state.ReadMessage(message2), state.RemoteStaticPublicKey);
                if (expectedRemote is not null && !expectedRemote.Equals(remote.PeerId))
                {
                    throw new PeerIdMismatchException(expectedRemote, remote.PeerId);
                }
                await WriteFrameAsync(inner, state.WriteMessage(localPayload), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var message1 = await ReadFrameAsync(inner, cancellationToken).ConfigureAwait(false);
                _ = state.ReadMessage(message1); // message 1 payload carries nothing for libp2p
                await WriteFrameAsync(inner, state.WriteMessage(localPayload), cancellationToken).ConfigureAwait(false);
                var message3 = await ReadFrameAsync(inner, cancellationToken).ConfigureAwait(false);
                remote = VerifyPayload(state.ReadMessage(message3), state.RemoteStaticPublicKey);
            }
            await registration.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var (send, receive) = state.Split();
            return new NoiseSecureStream(inner, send, receive, remote.PeerId, remote.Key);
        }
        catch (Exception ex)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            await inner.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("The Noise handshake was cancelled.", ex, cancellationToken);
            }
            if (ex is InvalidProtocolBufferException or FormatException)
            {
                throw new NoiseHandshakeException("Noise handshake payload is malformed: " + ex.Message, ex);
            }
            throw;
        }
    }

    internal static byte[] BuildPayload(KeyPair identity, byte[] staticPublicKey)
    {
        var signed = new byte[StaticKeySignaturePrefix.Length + staticPublicKey.Length];
        StaticKeySignaturePrefix.CopyTo(signed, 0);
        staticPublicKey.CopyTo(signed, StaticKeySignaturePrefix.Length);
        var payload = new NoisePb.NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.ToProtobuf()),
            IdentitySig = ByteString.CopyFrom(identity.Sign(signed)),
        };
        return payload.ToByteArray();
    }

    private static (PeerId PeerId, PublicKey Key) VerifyPayload(byte[] payloadBytes, ReadOnlySpan<byte> remoteStatic)
    {
        var payload = NoisePb.NoiseHandshakePayload.Parser.ParseFrom(payloadBytes);
        if (!payload.HasIdentityKey || payload.IdentityKey.Length == 0)
        {
            throw new NoiseHandshakeException("Noise handshake payload has no identity key.");
        }
        if (!payload.HasIdentitySig || payload.IdentitySig.Length == 0)
        {
            throw new NoiseHandshakeException("Noise handshake payload has no identity signature.");
        }
        PublicKey key;
        try
        {
            key = PublicKey.FromProtobuf(payload.IdentityKey.Span);
        }
        catch (FormatException ex)
        {
            throw new NoiseHandshakeException("Noise handshake identity key is invalid: " + ex.Message, ex);
        }
        var signed = new byte[StaticKeySignaturePrefix.Length + remoteStatic.Length];
        StaticKeySignaturePrefix.CopyTo(signed, 0);
        remoteStatic.CopyTo(signed.AsSpan(StaticKeySignaturePrefix.Length));
        bool valid;
        try
        {
            valid = key.Verify(signed, payload.IdentitySig.Span);
        }
        catch (NotSupportedException ex)
        {
            throw new NoiseHandshakeException($"Noise handshake identity key type {key.Type} is not supported here: {ex.Message}", ex);
        }
        if (!valid)
        {
            throw new NoiseHandshakeException("Noise handshake identity signature over the static key is invalid.");
        }
        return (key.ToPeerId(), key);
    }

    private static async ValueTask WriteFrameAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        var frame = new byte[2 + message.Length];
        frame[0] = (byte)(message.Length >> 8);
        frame[1] = (byte)message.Length;
        message.CopyTo(frame, 2);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<byte[]> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = (header[0] << 8) | header[1];
        var message = new byte[length];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }
}

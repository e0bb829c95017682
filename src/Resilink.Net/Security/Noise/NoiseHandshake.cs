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

    /// <summary>Most entries accepted in a <c>stream_muxers</c> extension (ours or the remote's).</summary>
    public const int MaxStreamMuxers = 16;

    /// <summary>Longest stream muxer protocol ID (in UTF-16 characters) accepted in a <c>stream_muxers</c> extension.</summary>
    public const int MaxStreamMuxerIdLength = 128;

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
        Stream inner, KeyPair localIdentity, PeerId? expectedRemote, CancellationToken cancellationToken = default) =>
        SecureOutboundAsync(inner, localIdentity, expectedRemote, streamMuxers: null, cancellationToken);

    /// <summary>
    /// Secures an outbound (dialled) connection as the Noise initiator, offering <paramref name="streamMuxers"/>
    /// for early (inlined) muxer negotiation; see <see cref="NoiseSecureStream.EarlyMuxer"/> for the outcome.
    /// </summary>
    /// <param name="inner">The raw connection; owned by the returned stream.</param>
    /// <param name="localIdentity">This node's identity key.</param>
    /// <param name="expectedRemote">The peer we dialled, or null to accept any authenticated peer.</param>
    /// <param name="streamMuxers">
    /// Our stream muxer protocol IDs, most preferred first, sent in the handshake's <c>stream_muxers</c> extension;
    /// null or empty to not take part in early negotiation (the muxer is then negotiated with multistream-select).
    /// </param>
    /// <param name="cancellationToken">Aborts the handshake (disposing <paramref name="inner"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="streamMuxers"/> has an empty, oversized or duplicate entry, or too many entries.</exception>
    /// <exception cref="PeerIdMismatchException">The remote is not <paramref name="expectedRemote"/>.</exception>
    /// <exception cref="NoiseHandshakeException">
    /// The remote sent malformed or unauthenticated data, or both sides offered stream muxers with none in common.
    /// </exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public static ValueTask<NoiseSecureStream> SecureOutboundAsync(
        Stream inner, KeyPair localIdentity, PeerId? expectedRemote, IReadOnlyList<string>? streamMuxers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(localIdentity);
        var muxers = ValidateLocalStreamMuxers(streamMuxers);
        return RunAsync(inner, localIdentity, initiator: true, expectedRemote, null, cancellationToken, muxers);
    }

    /// <summary>Secures an inbound (accepted) connection as the Noise responder.</summary>
    /// <param name="inner">The raw connection; owned by the returned stream.</param>
    /// <param name="localIdentity">This node's identity key.</param>
    /// <param name="cancellationToken">Aborts the handshake (disposing <paramref name="inner"/>).</param>
    /// <exception cref="NoiseHandshakeException">The remote sent malformed or unauthenticated data.</exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public static ValueTask<NoiseSecureStream> SecureInboundAsync(
        Stream inner, KeyPair localIdentity, CancellationToken cancellationToken = default) =>
        SecureInboundAsync(inner, localIdentity, streamMuxers: null, cancellationToken);

    /// <summary>
    /// Secures an inbound (accepted) connection as the Noise responder, offering <paramref name="streamMuxers"/>
    /// for early (inlined) muxer negotiation; see <see cref="NoiseSecureStream.EarlyMuxer"/> for the outcome.
    /// </summary>
    /// <param name="inner">The raw connection; owned by the returned stream.</param>
    /// <param name="localIdentity">This node's identity key.</param>
    /// <param name="streamMuxers">
    /// Our stream muxer protocol IDs, most preferred first, sent in the handshake's <c>stream_muxers</c> extension;
    /// null or empty to not take part in early negotiation (the muxer is then negotiated with multistream-select).
    /// </param>
    /// <param name="cancellationToken">Aborts the handshake (disposing <paramref name="inner"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="streamMuxers"/> has an empty, oversized or duplicate entry, or too many entries.</exception>
    /// <exception cref="NoiseHandshakeException">
    /// The remote sent malformed or unauthenticated data, or both sides offered stream muxers with none in common.
    /// </exception>
    /// <exception cref="IOException">The connection failed or ended early.</exception>
    public static ValueTask<NoiseSecureStream> SecureInboundAsync(
        Stream inner, KeyPair localIdentity, IReadOnlyList<string>? streamMuxers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(localIdentity);
        var muxers = ValidateLocalStreamMuxers(streamMuxers);
        return RunAsync(inner, localIdentity, initiator: false, null, null, cancellationToken, muxers);
    }

    /// <summary>
    /// The early-negotiation rule (libp2p connections/inlined-muxer-negotiation): when both sides offered a
    /// non-empty list, the first entry of the initiator's list that the responder also lists; null when either
    /// side offered none (fall back to multistream-select).
    /// </summary>
    /// <exception cref="NoiseHandshakeException">Both lists are non-empty and have nothing in common.</exception>
    internal static string? SelectEarlyMuxer(IReadOnlyList<string> initiatorMuxers, IReadOnlyList<string> responderMuxers)
    {
        if (initiatorMuxers.Count == 0 || responderMuxers.Count == 0)
        {
            return null;
        }
        foreach (var muxer in initiatorMuxers)
        {
            if (responderMuxers.Contains(muxer, StringComparer.Ordinal))
            {
                return muxer;
            }
        }
        throw new NoiseHandshakeException(
            $"Early muxer negotiation failed: the initiator offered [{string.Join(", ", initiatorMuxers)}] and the responder " +
            $"[{string.Join(", ", responderMuxers)}], with no stream muxer in common.");
    }

    private static string[] ValidateLocalStreamMuxers(IReadOnlyList<string>? streamMuxers)
    {
        if (streamMuxers is null || streamMuxers.Count == 0)
        {
            return [];
        }
        if (streamMuxers.Count > MaxStreamMuxers)
        {
            throw new ArgumentException($"At most {MaxStreamMuxers} stream muxers can be offered.", nameof(streamMuxers));
        }
        var result = new string[streamMuxers.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var muxer = streamMuxers[i];
            if (!IsValidStreamMuxerId(muxer))
            {
                throw new ArgumentException(
                    $"Stream muxer entry {i} must be a non-empty protocol ID of at most {MaxStreamMuxerIdLength} characters without control characters.",
                    nameof(streamMuxers));
            }
            if (Array.IndexOf(result, muxer, 0, i) >= 0)
            {
                throw new ArgumentException($"Stream muxer '{muxer}' is listed twice.", nameof(streamMuxers));
            }
            result[i] = muxer;
        }
        return result;
    }

    private static string[] ValidateRemoteStreamMuxers(NoisePb.NoiseHandshakePayload payload)
    {
        if (payload.Extensions is not { StreamMuxers.Count: > 0 } extensions)
        {
            return [];
        }
        var remote = extensions.StreamMuxers;
        if (remote.Count > MaxStreamMuxers)
        {
            throw new NoiseHandshakeException(
                $"Noise handshake payload lists {remote.Count} stream muxers; at most {MaxStreamMuxers} are accepted.");
        }
        foreach (var muxer in remote)
        {
            if (!IsValidStreamMuxerId(muxer))
            {
                throw new NoiseHandshakeException(
                    $"Noise handshake payload lists an invalid stream muxer ID (empty, over {MaxStreamMuxerIdLength} characters, or with control or replacement characters).");
            }
        }
        return [.. remote];
    }

    private static bool IsValidStreamMuxerId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxStreamMuxerIdLength)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (char.IsControl(c) || c == '\uFFFD')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Handshake with an injectable ephemeral key factory (tests).</summary>
    internal static async ValueTask<NoiseSecureStream> RunAsync(
        Stream inner,
        KeyPair localIdentity,
        bool initiator,
        PeerId? expectedRemote,
        Func<NSec.Cryptography.Key>? ephemeralFactory,
        CancellationToken cancellationToken,
        string[]? localStreamMuxers = null,
        Func<byte[], byte[]>? localPayloadTransform = null)
    {
        localStreamMuxers ??= [];
        // Streams that ignore cancellation tokens are unblocked by closing them.
        var registration = cancellationToken.Register(static s => ((Stream)s!).Dispose(), inner);
        using var staticKey = NoiseXXHandshakeState.CreateX25519Key();
        using var state = new NoiseXXHandshakeState(initiator, staticKey, ReadOnlySpan<byte>.Empty, ephemeralFactory);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var localPayload = BuildPayload(localIdentity, state.LocalStaticPublicKey, localStreamMuxers);
            if (localPayloadTransform is not null)
            {
                localPayload = localPayloadTransform(localPayload);
            }
            (PeerId PeerId, PublicKey Key, string[] StreamMuxers) remote;
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
            // Both sides decide only once the handshake is complete, so on no overlap both fail with the same error.
            var earlyMuxer = initiator
                ? SelectEarlyMuxer(localStreamMuxers, remote.StreamMuxers)
                : SelectEarlyMuxer(remote.StreamMuxers, localStreamMuxers);
            await registration.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var (send, receive) = state.Split();
            return new NoiseSecureStream(inner, send, receive, remote.PeerId, remote.Key, remote.StreamMuxers, earlyMuxer);
        }
        catch (Exception ex)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            await inner.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("The Noise handshake was cancelled.", ex, cancellationToken);
            }
            if (ex is InvalidProtocolBufferException or FormatException or System.Text.DecoderFallbackException)
            {
                throw new NoiseHandshakeException("Noise handshake payload is malformed: " + ex.Message, ex);
            }
            throw;
        }
    }

    internal static byte[] BuildPayload(KeyPair identity, byte[] staticPublicKey, IReadOnlyList<string>? streamMuxers = null)
    {
        var signed = new byte[StaticKeySignaturePrefix.Length + staticPublicKey.Length];
        StaticKeySignaturePrefix.CopyTo(signed, 0);
        staticPublicKey.CopyTo(signed, StaticKeySignaturePrefix.Length);
        var payload = new NoisePb.NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.ToProtobuf()),
            IdentitySig = ByteString.CopyFrom(identity.Sign(signed)),
        };
        if (streamMuxers is { Count: > 0 })
        {
            payload.Extensions = new NoisePb.NoiseExtensions { StreamMuxers = { streamMuxers } };
        }
        return payload.ToByteArray();
    }

    private static (PeerId PeerId, PublicKey Key, string[] StreamMuxers) VerifyPayload(byte[] payloadBytes, ReadOnlySpan<byte> remoteStatic)
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
        return (key.ToPeerId(), key, ValidateRemoteStreamMuxers(payload));
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

using NSec.Cryptography;

namespace Resilink.Net.Security.Noise;

/// <summary>
/// Noise <c>HandshakeState</c> for <c>Noise_XX_25519_ChaChaPoly_SHA256</c> only:
/// <code>
///   -> e
///   &lt;- e, ee, s, es
///   -> s, se
/// </code>
/// Not thread-safe. Keys are injectable so the state machine can be checked against fixed test vectors.
/// </summary>
internal sealed class NoiseXXHandshakeState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
    public const int DhLength = 32;
    public const int MaxMessageLength = 65535;

    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;

    private readonly bool _initiator;
    private readonly Key _static;
    private readonly Func<Key> _ephemeralFactory;
    private readonly NoiseSymmetricState _symmetric;
    private Key? _ephemeral;
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteStatic;
    private int _messageIndex;

    /// <param name="initiator">Whether this side sends the first message.</param>
    /// <param name="staticKey">The local X25519 static key (owned by the caller).</param>
    /// <param name="prologue">Prologue; libp2p uses an empty one.</param>
    /// <param name="ephemeralFactory">Creates the ephemeral key; defaults to a fresh random X25519 key.</param>
    public NoiseXXHandshakeState(bool initiator, Key staticKey, ReadOnlySpan<byte> prologue, Func<Key>? ephemeralFactory = null)
    {
        ArgumentNullException.ThrowIfNull(staticKey);
        if (staticKey.Algorithm != X25519)
        {
            throw new ArgumentException("The Noise static key must be an X25519 key.", nameof(staticKey));
        }
        _initiator = initiator;
        _static = staticKey;
        _ephemeralFactory = ephemeralFactory ?? (() => Key.Create(X25519));
        _symmetric = new NoiseSymmetricState(ProtocolName);
        _symmetric.MixHash(prologue);
    }

    /// <summary>The remote static X25519 public key, once received.</summary>
    public ReadOnlySpan<byte> RemoteStaticPublicKey => _remoteStatic;

    /// <summary>The local static X25519 public key.</summary>
    public byte[] LocalStaticPublicKey => _static.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>The handshake hash h (channel binding value once complete).</summary>
    public byte[] HandshakeHash => _symmetric.HandshakeHash.ToArray();

    public bool IsComplete => _messageIndex == 3;

    /// <summary>Creates a fresh X25519 key whose private half can be used for key agreement.</summary>
    public static Key CreateX25519Key() => Key.Create(X25519);

    /// <summary>Imports a raw 32-byte X25519 private key (tests and persisted static keys).</summary>
    public static Key ImportX25519PrivateKey(ReadOnlySpan<byte> raw32) =>
        Key.Import(X25519, raw32, KeyBlobFormat.RawPrivateKey);

    /// <summary>Writes the next handshake message carrying <paramref name="payload"/>.</summary>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        EnsureTurn(writing: true);
        var tagLength = _messageIndex == 0 ? 0 : NoiseCipherState.TagLength;
        var length = _messageIndex switch
        {
            0 => DhLength + payload.Length,
            1 => DhLength + DhLength + NoiseCipherState.TagLength + payload.Length + tagLength,
            _ => DhLength + NoiseCipherState.TagLength + payload.Length + tagLength,
        };
        if (length > MaxMessageLength)
        {
            throw new NoiseHandshakeException($"Noise handshake message would be {length} bytes; the maximum is {MaxMessageLength}.");
        }
        var message = new byte[length];
        var offset = 0;
        switch (_messageIndex)
        {
            case 0: // -> e
                offset += WriteEphemeral(message);
                break;
            case 1: // <- e, ee, s, es
                offset += WriteEphemeral(message);
                _symmetric.MixKey(Dh(_ephemeral!, _remoteEphemeral!));
                offset += _symmetric.EncryptAndHash(LocalStaticPublicKey, message.AsSpan(offset));
                _symmetric.MixKey(Dh(_static, _remoteEphemeral!));
                break;
            default: // -> s, se
                offset += _symmetric.EncryptAndHash(LocalStaticPublicKey, message.AsSpan(offset));
                _symmetric.MixKey(Dh(_static, _remoteEphemeral!));
                break;
        }
        offset += _symmetric.EncryptAndHash(payload, message.AsSpan(offset));
        _messageIndex++;
        return offset == message.Length ? message : message[..offset];
    }

    /// <summary>Reads the next handshake message and returns its decrypted payload.</summary>
    /// <exception cref="NoiseHandshakeException">The message is malformed or fails authentication.</exception>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        EnsureTurn(writing: false);
        var minimum = _messageIndex switch
        {
            0 => DhLength,
            1 => DhLength + DhLength + NoiseCipherState.TagLength + NoiseCipherState.TagLength,
            _ => DhLength + NoiseCipherState.TagLength + NoiseCipherState.TagLength,
        };
        if (message.Length < minimum)
        {
            throw new NoiseHandshakeException(
                $"Noise handshake message {_messageIndex + 1} is {message.Length} bytes; at least {minimum} are required.");
        }
        if (message.Length > MaxMessageLength)
        {
            throw new NoiseHandshakeException($"Noise handshake message is {message.Length} bytes; the maximum is {MaxMessageLength}.");
        }
        var rest = message;
        switch (_messageIndex)
        {
            case 0: // -> e
                rest = ReadEphemeral(rest);
                break;
            case 1: // <- e, ee, s, es
                rest = ReadEphemeral(rest);
                _symmetric.MixKey(Dh(_ephemeral!, _remoteEphemeral!));
                rest = ReadStatic(rest);
                _symmetric.MixKey(Dh(_ephemeral!, _remoteStatic!));
                break;
            default: // -> s, se
                rest = ReadStatic(rest);
                _symmetric.MixKey(Dh(_ephemeral!, _remoteStatic!));
                break;
        }
        var payload = new byte[_symmetric.HasKey ? rest.Length - NoiseCipherState.TagLength : rest.Length];
        _symmetric.DecryptAndHash(rest, payload);
        _messageIndex++;
        return payload;
    }

    /// <summary>Splits into (send, receive) transport cipher states for this side.</summary>
    public (NoiseCipherState Send, NoiseCipherState Receive) Split()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("The Noise handshake is not complete.");
        }
        var (c1, c2) = _symmetric.Split();
        return _initiator ? (c1, c2) : (c2, c1);
    }

    public void Dispose()
    {
        _ephemeral?.Dispose();
        _symmetric.Dispose();
    }

    private void EnsureTurn(bool writing)
    {
        if (_messageIndex >= 3)
        {
            throw new InvalidOperationException("The Noise handshake is already complete.");
        }
        // Initiator writes messages 0 and 2; responder writes message 1.
        var initiatorTurn = _messageIndex != 1;
        if ((initiatorTurn == _initiator) != writing)
        {
            throw new InvalidOperationException($"It is not this side's turn to {(writing ? "write" : "read")} a Noise handshake message.");
        }
    }

    private int WriteEphemeral(Span<byte> destination)
    {
        _ephemeral = _ephemeralFactory();
        if (!_ephemeral.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, destination, out var written) || written != DhLength)
        {
            throw new InvalidOperationException("Could not export the ephemeral X25519 public key.");
        }
        _symmetric.MixHash(destination[..DhLength]);
        return DhLength;
    }

    private ReadOnlySpan<byte> ReadEphemeral(ReadOnlySpan<byte> message)
    {
        _remoteEphemeral = message[..DhLength].ToArray();
        _symmetric.MixHash(_remoteEphemeral);
        return message[DhLength..];
    }

    private ReadOnlySpan<byte> ReadStatic(ReadOnlySpan<byte> message)
    {
        var length = DhLength + NoiseCipherState.TagLength;
        var remoteStatic = new byte[DhLength];
        _symmetric.DecryptAndHash(message[..length], remoteStatic);
        _remoteStatic = remoteStatic;
        return message[length..];
    }

    private static byte[] Dh(Key privateKey, byte[] remotePublic)
    {
        if (!PublicKey.TryImport(X25519, remotePublic, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            throw new NoiseHandshakeException("Remote X25519 public key is invalid.");
        }
        using var shared = X25519.Agree(privateKey, publicKey, new SharedSecretCreationParameters
        {
            ExportPolicy = KeyExportPolicies.AllowPlaintextExport,
        });
        if (shared is null)
        {
            throw new NoiseHandshakeException("X25519 key agreement failed (remote sent a low-order point).");
        }
        return shared.Export(SharedSecretBlobFormat.RawSharedSecret);
    }
}

using System.Buffers;
using System.Text;
using Resilink.Net.Encoding;

namespace Resilink.Net.Negotiation;

/// <summary>
/// multistream-select 1.0 (https://github.com/multiformats/multistream-select), byte-compatible with
/// js-libp2p and go-multistream.
/// </summary>
/// <remarks>
/// Every message is a uvarint length followed by UTF-8 text ending in <c>'\n'</c> (the length counts the newline).
/// Messages longer than <see cref="MaxMessageLength"/> are refused before any buffer is allocated.
/// Reads never go past the end of the negotiation: the varint is read a byte at a time and then exactly the
/// announced length, so bytes that follow belong to the next layer and stay in the stream.
/// Each message (or the initiator's header-plus-proposal pair) is sent in one write followed by a flush.
/// </remarks>
public static class MultistreamSelect
{
    /// <summary>The multistream-select protocol id, sent as the header by both sides.</summary>
    public const string ProtocolId = "/multistream/1.0.0";

    /// <summary>Largest accepted message, newline included (same bound as go-multistream and js-libp2p).</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>How many proposals (or <c>ls</c> requests) a responder answers before giving up.</summary>
    public const int MaxRounds = 32;

    private const string NotAvailable = "na";
    private const string List = "ls";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Initiator side: proposes <paramref name="protocols"/> in order and returns the first one the responder accepts.
    /// The header and the first proposal go out in one write; the responder's header is checked before its
    /// answer is trusted.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds an empty, multi-line or oversized id.</exception>
    /// <exception cref="ProtocolNegotiationException">None is supported, or the responder misbehaved.</exception>
    /// <exception cref="EndOfStreamException">The stream ended during negotiation.</exception>
    public static async ValueTask<string> SelectOneAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0)
        {
            throw new ArgumentException("At least one protocol must be offered.", nameof(protocols));
        }
        foreach (var protocol in protocols)
        {
            ValidateProtocolId(protocol, nameof(protocols));
        }

        await WriteAsync(stream, [ProtocolId, protocols[0]], ct).ConfigureAwait(false);
        var header = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new ProtocolNegotiationException(
                $"Expected multistream header '{ProtocolId}' from the responder but got '{Printable(header)}'.");
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                await WriteAsync(stream, [protocols[i]], ct).ConfigureAwait(false);
            }
            var response = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
            if (response == protocols[i])
            {
                return response;
            }
            if (response != NotAvailable)
            {
                throw new ProtocolNegotiationException(
                    $"Unexpected multistream response '{Printable(response)}' to proposal '{protocols[i]}'.");
            }
        }

        throw new ProtocolNegotiationException(
            $"The peer supports none of the offered protocols: {string.Join(", ", protocols)}.", protocols);
    }

    /// <summary>
    /// Responder side: sends the header, checks the initiator's, answers <c>na</c> to unsupported proposals,
    /// answers <c>ls</c> with <paramref name="listProtocols"/> (or <c>na</c> when null), and echoes and returns
    /// the first supported proposal.
    /// </summary>
    /// <exception cref="ProtocolNegotiationException">Wrong header, malformed message or more than <see cref="MaxRounds"/> rounds.</exception>
    /// <exception cref="EndOfStreamException">The stream ended during negotiation.</exception>
    public static async ValueTask<string> HandleAsync(
        Stream stream,
        Func<string, bool> isSupported,
        Func<IReadOnlyList<string>>? listProtocols = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(isSupported);

        await WriteAsync(stream, [ProtocolId], ct).ConfigureAwait(false);
        var header = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new ProtocolNegotiationException(
                $"Expected multistream header '{ProtocolId}' from the initiator but got '{Printable(header)}'.");
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            var request = await ReadMessageAsync(stream, ct).ConfigureAwait(false);
            if (request == List)
            {
                if (listProtocols is null)
                {
                    await WriteAsync(stream, [NotAvailable], ct).ConfigureAwait(false);
                }
                else
                {
                    await WriteListAsync(stream, listProtocols(), ct).ConfigureAwait(false);
                }
                continue;
            }
            if (request.Length > 0 && request != NotAvailable && request != ProtocolId && isSupported(request))
            {
                await WriteAsync(stream, [request], ct).ConfigureAwait(false);
                return request;
            }
            await WriteAsync(stream, [NotAvailable], ct).ConfigureAwait(false);
        }

        throw new ProtocolNegotiationException($"Peer made more than {MaxRounds} multistream proposals without agreement.");
    }

    /// <summary>Responder side with a fixed set of supported protocols, which is also the <c>ls</c> answer.</summary>
    /// <inheritdoc cref="HandleAsync(Stream, Func{string, bool}, Func{IReadOnlyList{string}}?, CancellationToken)"/>
    public static ValueTask<string> HandleAsync(Stream stream, IReadOnlyCollection<string> supported, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(supported);
        var list = supported.ToArray();
        var set = new HashSet<string>(list, StringComparer.Ordinal);
        return HandleAsync(stream, set.Contains, () => list, ct);
    }

    /// <summary>Encodes one message: uvarint(length of text + 1), text, '\n'.</summary>
    internal static byte[] EncodeMessage(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AppendMessage(buffer, text);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Encodes the <c>ls</c> answer as js-libp2p and go-multistream do: one length-prefixed message whose
    /// body is each protocol as its own length-prefixed, newline-terminated entry, followed by a final '\n'.
    /// </summary>
    internal static byte[] EncodeList(IReadOnlyList<string> protocols)
    {
        var inner = new ArrayBufferWriter<byte>();
        foreach (var protocol in protocols)
        {
            AppendMessage(inner, protocol);
        }
        inner.Write("\n"u8);
        var outer = new ArrayBufferWriter<byte>();
        var prefix = outer.GetSpan(Varint.MaxLength);
        outer.Advance(Varint.Write((ulong)inner.WrittenCount, prefix));
        outer.Write(inner.WrittenSpan);
        return outer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one message and returns its text without the newline. Never reads past the message.
    /// </summary>
    internal static async ValueTask<string> ReadMessageAsync(Stream stream, CancellationToken ct)
    {
        ulong length;
        try
        {
            length = await Varint.ReadAsync(stream, ct).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            throw new ProtocolNegotiationException("Malformed multistream length prefix.", ex);
        }
        if (length == 0)
        {
            throw new ProtocolNegotiationException("Empty multistream message.");
        }
        if (length > MaxMessageLength)
        {
            throw new ProtocolNegotiationException(
                $"Multistream message of {length} bytes exceeds the limit of {MaxMessageLength}.");
        }
        var buffer = new byte[(int)length];
        await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        if (buffer[^1] != (byte)'\n')
        {
            throw new ProtocolNegotiationException("Multistream message does not end with a newline.");
        }
        try
        {
            return StrictUtf8.GetString(buffer, 0, buffer.Length - 1);
        }
        catch (ArgumentException ex)
        {
            throw new ProtocolNegotiationException("Multistream message is not valid UTF-8.", ex);
        }
    }

    private static async ValueTask WriteAsync(Stream stream, string[] messages, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            AppendMessage(buffer, message);
        }
        await stream.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask WriteListAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        await stream.WriteAsync(EncodeList(protocols), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private static void AppendMessage(ArrayBufferWriter<byte> buffer, string text)
    {
        var byteCount = StrictUtf8.GetByteCount(text) + 1;
        var span = buffer.GetSpan(Varint.MaxLength + byteCount);
        var n = Varint.Write((ulong)byteCount, span);
        n += StrictUtf8.GetBytes(text, span[n..]);
        span[n++] = (byte)'\n';
        buffer.Advance(n);
    }

    private static void ValidateProtocolId(string protocol, string paramName)
    {
        if (string.IsNullOrEmpty(protocol))
        {
            throw new ArgumentException("Protocol ids must not be empty.", paramName);
        }
        if (protocol.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Protocol id '{Printable(protocol)}' contains a newline.", paramName);
        }
        if (protocol is NotAvailable or List or ProtocolId)
        {
            throw new ArgumentException($"'{protocol}' is reserved by multistream-select.", paramName);
        }
        if (System.Text.Encoding.UTF8.GetByteCount(protocol) + 1 > MaxMessageLength)
        {
            throw new ArgumentException($"Protocol id is longer than {MaxMessageLength - 1} bytes.", paramName);
        }
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 64 ? text[..64] + "..." : text;
        return string.Create(shown.Length, shown, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}

using Resilink.Net.Negotiation;

namespace Resilink.Net.Tests.Negotiation;

public class MultistreamSelectTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static byte[] Msg(string text) => MultistreamSelect.EncodeMessage(text);

    private static byte[] B(params byte[] bytes) => bytes;

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void Encoding_MatchesJsLibp2pBytes()
    {
        Assert.Equal(Concat(B(0x13), System.Text.Encoding.ASCII.GetBytes("/multistream/1.0.0\n")), Msg("/multistream/1.0.0"));
        Assert.Equal(Convert.FromHexString("036e610a"), Msg("na")); // spec: 0x036e610a
        Assert.Equal(Convert.FromHexString("036c730a"), Msg("ls")); // spec: 0x036c730a
        // ls answer: <len of body> ( <len>"/a\n" <len>"/bc\n" ) "\n"
        Assert.Equal(
            Concat(B(0x0a, 0x03), System.Text.Encoding.ASCII.GetBytes("/a\n"), B(0x04), System.Text.Encoding.ASCII.GetBytes("/bc\n"), B(0x0a)),
            MultistreamSelect.EncodeList(["/a", "/bc"]));
        // a 200-byte id takes a two-byte varint (201 = 0xc9 0x01)
        var longId = "/" + new string('x', 199);
        Assert.Equal(new byte[] { 0xc9, 0x01 }, Msg(longId)[..2]);
    }

    [Fact]
    public async Task SelectOne_SendsHeaderAndFirstProposalInOneWrite_AndLeavesTrailingBytes()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var script = Concat(Msg(MultistreamSelect.ProtocolId), Msg("/noise"), "NEXT-LAYER"u8.ToArray());
        var stream = new ScriptedStream(script);

        var selected = await MultistreamSelect.SelectOneAsync(stream, ["/noise"], cts.Token);

        Assert.Equal("/noise", selected);
        var write = Assert.Single(stream.Writes);
        Assert.Equal(Concat(Msg(MultistreamSelect.ProtocolId), Msg("/noise")), write);
        Assert.True(stream.Flushes >= 1);
        Assert.Equal(script.Length - "NEXT-LAYER".Length, stream.ReadPosition);
    }

    [Fact]
    public async Task SelectOne_WrongHeader_IsRejectedBeforeTrustingAnswer()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stream = new ScriptedStream(Concat(Msg("/multistream/2.0.0"), Msg("/noise")));
        var ex = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectOneAsync(stream, ["/noise"], cts.Token).AsTask());
        Assert.Contains("/multistream/2.0.0", ex.Message, StringComparison.Ordinal);

        // a responder that skips the header and answers directly is not trusted either
        stream = new ScriptedStream(Msg("/noise"));
        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectOneAsync(stream, ["/noise"], cts.Token).AsTask());
    }

    [Fact]
    public async Task Handle_WrongHeader_IsRejected()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stream = new ScriptedStream(Concat(Msg("/multistream/0.9"), Msg("/noise")));
        var ex = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(stream, ["/noise"], cts.Token).AsTask());
        Assert.Contains("/multistream/0.9", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pipe")]
    [InlineData("socket")]
    public async Task HappyPath_FirstProtocol_AndTrailingBytesBelongToNextLayer(string kind)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (a, b) = await StreamPairs.CreateAsync(kind, cts.Token);
        await using (a)
        await using (b)
        {
            var responder = Task.Run(async () =>
            {
                var p = await MultistreamSelect.HandleAsync(b, ["/yamux/1.0.0", "/mplex/6.7.0"], cts.Token);
                var buf = new byte[5];
                await b.ReadExactlyAsync(buf, cts.Token);
                await b.WriteAsync("world"u8.ToArray(), cts.Token);
                await b.FlushAsync(cts.Token);
                return (p, System.Text.Encoding.ASCII.GetString(buf));
            });

            var selected = await MultistreamSelect.SelectOneAsync(a, ["/yamux/1.0.0"], cts.Token);
            await a.WriteAsync("hello"u8.ToArray(), cts.Token);
            await a.FlushAsync(cts.Token);
            var reply = new byte[5];
            await a.ReadExactlyAsync(reply, cts.Token);

            Assert.Equal("/yamux/1.0.0", selected);
            Assert.Equal(("/yamux/1.0.0", "hello"), await responder);
            Assert.Equal("world", System.Text.Encoding.ASCII.GetString(reply));
        }
    }

    [Theory]
    [InlineData("pipe")]
    [InlineData("socket")]
    public async Task NotAvailable_ThenSecondProtocol(string kind)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (a, b) = await StreamPairs.CreateAsync(kind, cts.Token);
        await using (a)
        await using (b)
        {
            var seen = new List<string>();
            var responder = Task.Run(async () => await MultistreamSelect.HandleAsync(
                b, p => { seen.Add(p); return p == "/noise"; }, null, cts.Token));
            var selected = await MultistreamSelect.SelectOneAsync(a, ["/tls/1.0.0", "/noise"], cts.Token);
            Assert.Equal("/noise", selected);
            Assert.Equal("/noise", await responder);
            Assert.Equal(["/tls/1.0.0", "/noise"], seen);
        }
    }

    [Theory]
    [InlineData("pipe")]
    [InlineData("socket")]
    public async Task NoneSupported_InitiatorThrowsListingProtocols(string kind)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (a, b) = await StreamPairs.CreateAsync(kind, cts.Token);
        await using (b)
        {
            var responder = Task.Run(async () => await MultistreamSelect.HandleAsync(b, ["/other"], cts.Token));
            await using (a)
            {
                var ex = await Assert.ThrowsAsync<ProtocolNegotiationException>(
                    () => MultistreamSelect.SelectOneAsync(a, ["/a/1", "/b/1"], cts.Token).AsTask());
                Assert.Contains("/a/1, /b/1", ex.Message, StringComparison.Ordinal);
                Assert.Equal(["/a/1", "/b/1"], ex.OfferedProtocols);
            }
            // the initiator hung up; the responder sees end of stream, not a hang
            await Assert.ThrowsAnyAsync<IOException>(() => responder);
        }
    }

    [Fact]
    public async Task Ls_IsAnsweredWithTheJsFormat_ThenSelectionContinues()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var script = Concat(Msg(MultistreamSelect.ProtocolId), Msg("ls"), Msg("/echo/1.0.0"), "tail"u8.ToArray());
        var stream = new ScriptedStream(script);

        var selected = await MultistreamSelect.HandleAsync(stream, ["/echo/1.0.0", "/ping/1.0.0"], cts.Token);

        Assert.Equal("/echo/1.0.0", selected);
        Assert.Equal(
            Concat(Msg(MultistreamSelect.ProtocolId), MultistreamSelect.EncodeList(["/echo/1.0.0", "/ping/1.0.0"]), Msg("/echo/1.0.0")),
            stream.AllWritten());
        Assert.Equal(script.Length - 4, stream.ReadPosition);
    }

    [Fact]
    public async Task Ls_WithoutLister_IsAnsweredNa()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stream = new ScriptedStream(Concat(Msg(MultistreamSelect.ProtocolId), Msg("ls"), Msg("/x")));
        Assert.Equal("/x", await MultistreamSelect.HandleAsync(stream, p => p == "/x", null, cts.Token));
        Assert.Equal(Concat(Msg(MultistreamSelect.ProtocolId), Msg("na"), Msg("/x")), stream.AllWritten());
    }

    [Fact]
    public async Task Handle_TooManyRounds_GivesUp()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var proposals = Enumerable.Range(0, MultistreamSelect.MaxRounds + 5).Select(i => Msg($"/p/{i}"));
        var stream = new ScriptedStream(Concat([Msg(MultistreamSelect.ProtocolId), .. proposals]));
        var ex = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(stream, ["/nope"], cts.Token).AsTask());
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("808080808080808040")]   // 2^62
    [InlineData("ffffffffff0f")]         // ~2^39
    [InlineData("8108")]                 // 1025, just over the limit
    public async Task OversizedMessage_IsRefusedWithoutAllocating(string prefixHex)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stream = new ScriptedStream(Convert.FromHexString(prefixHex));
        // ScriptedStream completes synchronously, so everything runs on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectOneAsync(stream, ["/x"], cts.Token).AsTask());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("exceeds", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task MalformedMessages_AreRefused()
    {
        using var cts = new CancellationTokenSource(Timeout);
        byte[][] bad =
        [
            B(0x00),                                 // empty message
            Concat(B(0x03), "abc"u8.ToArray()),              // no newline
            B(0x03, 0xff, 0xfe, 0x0a),               // not UTF-8
            B(0x80, 0x00),                           // non-minimal varint
        ];
        foreach (var b in bad)
        {
            await Assert.ThrowsAsync<ProtocolNegotiationException>(
                () => MultistreamSelect.SelectOneAsync(new ScriptedStream(b), ["/x"], cts.Token).AsTask());
        }
        await Assert.ThrowsAsync<EndOfStreamException>(
            () => MultistreamSelect.SelectOneAsync(new ScriptedStream([0x13, 0x2f]), ["/x"], cts.Token).AsTask());
    }

    [Fact]
    public async Task InvalidArguments_Throw()
    {
        var s = new ScriptedStream([]);
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectOneAsync(s, [], default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectOneAsync(s, [""], default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectOneAsync(s, ["/a\n"], default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectOneAsync(s, ["ls"], default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectOneAsync(s, ["/" + new string('a', 1023)], default).AsTask());
    }

    [Fact]
    public async Task Cancellation_IsHonoured_WhenPeerIsSilent()
    {
        var (a, b) = StreamPairs.InMemory();
        await using (a)
        await using (b)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => MultistreamSelect.SelectOneAsync(a, ["/x"], cts.Token).AsTask());
        }
    }

    [Fact]
    public async Task Fuzz_RandomPeerBytes_OnlyExpectedErrors()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var random = new Random(4242);
        var header = Msg(MultistreamSelect.ProtocolId);
        for (var i = 0; i < 3000; i++)
        {
            var noise = new byte[random.Next(0, 64)];
            random.NextBytes(noise);
            // half the cases start with a valid header so the fuzzing reaches the later states
            var input = random.Next(2) == 0 ? noise : Concat(header, noise);
            if (random.Next(4) == 0 && input.Length > 0)
            {
                input[0] = (byte)random.Next(1, 0x14); // plausible small length prefix
            }

            await AssertOnlyExpected(() => MultistreamSelect.SelectOneAsync(new ScriptedStream(input), ["/a", "/b"], cts.Token));
            await AssertOnlyExpected(() => MultistreamSelect.HandleAsync(new ScriptedStream(input), p => p.Length % 2 == 0, () => ["/x"], cts.Token));
        }
    }

    private static async Task AssertOnlyExpected(Func<ValueTask<string>> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
        }
    }
}

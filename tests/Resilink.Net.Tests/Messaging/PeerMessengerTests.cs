using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Resilink.Monitoring;
using Resilink.Net.Host;
using Resilink.Net.Messaging;
using Resilink.Net.Protocols;
using Resilink.Net.Tests.Host;

namespace Resilink.Net.Tests.Messaging;

public sealed class PeerMessengerTests : IAsyncLifetime
{
    private readonly HostFixtures _fixtures = new();
    private readonly RecordingConnectionMonitor _aMonitor = new();
    private readonly List<PeerMessenger> _messengers = [];
    private readonly ConcurrentQueue<PeerMessage> _received = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var messenger in _messengers)
        {
            await messenger.DisposeAsync();
        }
        await _fixtures.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_ConnectedPeer_HandlerGetsItAndBothSidesReportTheMessage()
    {
        var (a, b, toB) = await StartPairAsync(connect: true);

        await toB.SendAsync(b.PeerId, "greeting", "hello"u8.ToArray(), _fixtures.Token);

        var message = Assert.Single(_received);
        Assert.Equal(("greeting", "hello", a.PeerId), (message.Type, System.Text.Encoding.UTF8.GetString(message.Payload.Span), message.Peer));
        var sent = Assert.Single(_aMonitor.Of<MessageEvent>());
        Assert.True(sent.Outbound && sent.SizeBytes == 5 && sent.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task SendAsync_NoConnection_BufferedThenDeliveredInOrderWhenThePeerConnects()
    {
        var (a, b, toB) = await StartPairAsync(connect: false);

        var sends = Enumerable.Range(0, 5).Select(i => toB.SendAsync(b.PeerId, "n", new[] { (byte)i }, _fixtures.Token)).ToList();
        Assert.All(sends, s => Assert.False(s.IsCompleted));
        Assert.Equal(5, _aMonitor.Of<BufferedMessagesEvent>().Sum(e => e.Delta));

        await _fixtures.ConnectAsync(b, a); // the peer comes to us: the buffer drains over its connection
        await Task.WhenAll(sends).WaitAsync(_fixtures.Token);

        Assert.Equal([0, 1, 2, 3, 4], _received.Select(m => (int)m.Payload.Span[0]));
        Assert.Equal(0, _aMonitor.Of<BufferedMessagesEvent>().Sum(e => e.Delta));
    }

    [Fact]
    public async Task SendAsync_BufferFull_OldestFailAndTheRestWait()
    {
        var (_, b, toB) = await StartPairAsync(connect: false, new PeerMessengerOptions { MaxBufferedMessagesPerPeer = 3 });

        var sends = Enumerable.Range(0, 5).Select(i => toB.SendAsync(b.PeerId, "n", new[] { (byte)i }, _fixtures.Token)).ToList();

        foreach (var dropped in sends.Take(2))
        {
            var error = await Assert.ThrowsAsync<MessageNotDeliveredException>(() => dropped);
            Assert.Contains("buffer", error.Message, StringComparison.Ordinal);
        }
        Assert.All(sends.Skip(2), s => Assert.False(s.IsCompleted));
        Assert.Equal(3, _aMonitor.Of<BufferedMessagesEvent>().Sum(e => e.Delta));
    }

    [Fact]
    public async Task SendAsync_NoConnectionForLongerThanTimeToLive_FailsAsExpired()
    {
        var time = new FakeTimeProvider();
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions(), _aMonitor);
        var b = await _fixtures.StartHostAsync();
        var toB = Track(new PeerMessenger(a, new PeerMessengerOptions { BufferedMessageTimeToLive = TimeSpan.FromSeconds(30) }, time));

        var send = toB.SendAsync(b.PeerId, "late", new byte[1], _fixtures.Token);
        time.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<MessageNotDeliveredException>(() => send.WaitAsync(_fixtures.Token));
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _aMonitor.Of<BufferedMessagesEvent>().Sum(e => e.Delta));
    }

    [Fact]
    public async Task SendAsync_ReceiverHandlerThrows_SenderFailsAndTheConnectionStays()
    {
        var (a, b, toB) = await StartPairAsync(connect: true);
        _messengers[1].MessageHandler = (_, _) => throw new InvalidOperationException("cannot take it");

        await Assert.ThrowsAnyAsync<IOException>(() => toB.SendAsync(b.PeerId, "bad", new byte[1], _fixtures.Token));

        Assert.Single(a.GetConnections(b.PeerId));
    }

    [Fact]
    public async Task Receive_OversizedMessageFromARawStream_RefusedAndTheHostStaysUp()
    {
        var (a, b, toB) = await StartPairAsync(connect: true);

        await using (var raw = await a.NewStreamAsync(b.PeerId, "/resilink/message/1.0.0", _fixtures.Token))
        {
            await LengthPrefixedMessage.WriteAsync(raw, "x"u8.ToArray(), _fixtures.Token);
            await LengthPrefixedMessage.WriteAsync(raw, new byte[64 * 1024 + 1], _fixtures.Token); // over b's 64 KiB
            await HostFixtures.DrainUntilClosedAsync(raw, _fixtures.Token);
        }

        Assert.Empty(_received);
        await toB.SendAsync(b.PeerId, "fine", new byte[10], _fixtures.Token); // the same connection still carries messages
        Assert.Single(_received);
    }

    [Fact]
    public async Task DisposeAsync_BufferedMessages_FailWithNotDelivered()
    {
        var (_, b, toB) = await StartPairAsync(connect: false);
        var send = toB.SendAsync(b.PeerId, "n", new byte[1], _fixtures.Token);

        await toB.DisposeAsync();

        await Assert.ThrowsAsync<MessageNotDeliveredException>(() => send);
    }

    [Fact]
    public async Task SendAsync_BadArguments_ClearErrors()
    {
        var (_, b, toB) = await StartPairAsync(connect: false, new PeerMessengerOptions { MaxMessageSize = 8 });

        await Assert.ThrowsAsync<ArgumentException>(() => toB.SendAsync(b.PeerId, "t", new byte[9], _fixtures.Token));
        await Assert.ThrowsAsync<ArgumentException>(() => toB.SendAsync(b.PeerId, new string('x', 200), new byte[1], _fixtures.Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => toB.SendAsync(b.PeerId, " ", new byte[1], _fixtures.Token));
    }

    private async Task<(Libp2pHost A, Libp2pHost B, PeerMessenger AToB)> StartPairAsync(bool connect, PeerMessengerOptions? options = null)
    {
        var a = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false }, _aMonitor);
        var b = await _fixtures.StartHostAsync(new Libp2pHostOptions { IdentifyOnConnect = false });
        var fromA = Track(new PeerMessenger(a, options));
        var atB = Track(new PeerMessenger(b, new PeerMessengerOptions { MaxMessageSize = 64 * 1024 }));
        atB.MessageHandler = (message, _) =>
        {
            _received.Enqueue(message);
            return Task.CompletedTask;
        };
        if (connect)
        {
            await _fixtures.ConnectAsync(a, b);
        }
        return (a, b, fromA);
    }

    private PeerMessenger Track(PeerMessenger messenger)
    {
        _messengers.Add(messenger);
        return messenger;
    }
}

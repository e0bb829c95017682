using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Resilink.Net.Addressing;
using Resilink.Net.Transport;

namespace Resilink.Net.Tests.Transport;

public class TcpTransportTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(15);

    // These tests dispose one end while the other is still open; a short linger keeps them fast.
    private static TcpTransport QuickTransport() => new(new TcpTransportOptions { LingerTimeout = TimeSpan.FromMilliseconds(50) });

    [Fact]
    public async Task ListenDialExchange_AddressesAreRight()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var transport = QuickTransport();
        await using var listener = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        Assert.True(listener.LocalAddress.TryGetTcpEndPoint(out var ep));
        var port = ((IPEndPoint)ep).Port;
        Assert.NotEqual(0, port);
        Assert.Equal($"/ip4/127.0.0.1/tcp/{port}", listener.LocalAddress.ToString());

        var accept = listener.AcceptAsync(cts.Token).AsTask();
        // a trailing /p2p is ignored by the transport
        var target = listener.LocalAddress.Encapsulate("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        Assert.True(transport.CanDial(target));
        await using var client = await transport.DialAsync(target, cts.Token);
        await using var server = await accept;

        Assert.Equal(listener.LocalAddress, client.RemoteAddress);
        Assert.Equal(client.LocalAddress, server.RemoteAddress);
        Assert.Equal(server.LocalAddress, client.RemoteAddress);

        await client.Stream.WriteAsync("ping"u8.ToArray(), cts.Token);
        var buf = new byte[4];
        await server.Stream.ReadExactlyAsync(buf, cts.Token);
        Assert.Equal("ping"u8.ToArray(), buf);
        await server.Stream.WriteAsync("pong"u8.ToArray(), cts.Token);
        await client.Stream.ReadExactlyAsync(buf, cts.Token);
        Assert.Equal("pong"u8.ToArray(), buf);
    }

    [Fact]
    public async Task DisposeAsync_PeerStillOpen_SendsFinAtOnceAndClosesAfterLinger()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var time = new FakeTimeProvider();
        var transport = new TcpTransport(new TcpTransportOptions { LingerTimeout = TimeSpan.FromSeconds(2) }, time);
        await using var listener = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        var client = await transport.DialAsync(listener.LocalAddress, cts.Token);
        await using var server = await accept;
        await client.Stream.WriteAsync("last words"u8.ToArray(), cts.Token);

        var closing = client.DisposeAsync().AsTask();

        // The peer gets our data and then EOF straight away, while we linger for its side to close.
        var received = new byte[10];
        await server.Stream.ReadExactlyAsync(received, cts.Token);
        Assert.Equal("last words"u8.ToArray(), received);
        Assert.Equal(0, await server.Stream.ReadAsync(new byte[1], cts.Token));
        Assert.False(closing.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        await closing.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task DisposeAsync_PeerClosesItsSideToo_CompletesWithoutWaitingForLinger()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var time = new FakeTimeProvider(); // never advanced: only the peer's FIN can end the linger
        var transport = new TcpTransport(new TcpTransportOptions { LingerTimeout = TimeSpan.FromSeconds(2) }, time);
        await using var listener = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        var client = await transport.DialAsync(listener.LocalAddress, cts.Token);
        var server = await accept;

        var clientClosing = client.DisposeAsync().AsTask();
        Assert.Equal(0, await server.Stream.ReadAsync(new byte[1], cts.Token)); // our FIN arrived
        await server.DisposeAsync();                                            // its FIN ends our linger

        await clientClosing.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task Ipv6AndDns_Dial()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var transport = QuickTransport();
        ITransportListener listener6;
        try
        {
            listener6 = await transport.ListenAsync(Multiaddr.Parse("/ip6/::1/tcp/0"), cts.Token);
        }
        catch (IOException)
        {
            return; // no IPv6 loopback in this environment
        }
        await using (listener6)
        {
            var accept = listener6.AcceptAsync(cts.Token).AsTask();
            await using var c = await transport.DialAsync(listener6.LocalAddress, cts.Token);
            await using var s = await accept;
            Assert.StartsWith("/ip6/::1/tcp/", c.RemoteAddress.ToString(), StringComparison.Ordinal);
        }

        await using var listener4 = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        listener4.LocalAddress.TryGetTcpEndPoint(out var ep);
        var accept4 = listener4.AcceptAsync(cts.Token).AsTask();
        await using var dnsClient = await transport.DialAsync(Multiaddr.Parse($"/dns4/localhost/tcp/{((IPEndPoint)ep!).Port}"), cts.Token);
        await using var dnsServer = await accept4;
        Assert.Equal(listener4.LocalAddress, dnsClient.RemoteAddress);
    }

    [Fact]
    public async Task DialClosedPort_FailsQuicklyNamingTheAddress()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var address = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}");
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<IOException>(() => new TcpTransport().DialAsync(address, cts.Token).AsTask());
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains(address.ToString(), ex.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<SocketException>(ex.InnerException);
        Assert.Equal(SocketError.ConnectionRefused, inner.SocketErrorCode);
    }

    [Fact]
    public async Task UnsupportedAddresses_AreRejected()
    {
        var transport = QuickTransport();
        Assert.False(transport.CanDial(Multiaddr.Parse("/ip4/1.2.3.4/udp/1/quic-v1")));
        await Assert.ThrowsAsync<ArgumentException>(() => transport.DialAsync(Multiaddr.Parse("/ip4/1.2.3.4/udp/1")).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => transport.ListenAsync(Multiaddr.Parse("/dns4/localhost/tcp/0")).AsTask());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpTransport(new TcpTransportOptions { ConnectTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public async Task Abort_EndsPeerReadPromptly()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var transport = QuickTransport();
        await using var listener = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        await using var client = await transport.DialAsync(listener.LocalAddress, cts.Token);
        await using var server = await accept;

        var read = server.Stream.ReadAsync(new byte[16], cts.Token).AsTask();
        var sw = Stopwatch.StartNew();
        client.Abort();
        try
        {
            Assert.Equal(0, await read); // FIN-like end...
        }
        catch (IOException)
        {
            // ...or, with RST, "connection reset by peer"; either way the read ended.
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"read took {sw.Elapsed}");
        client.Abort(); // idempotent
        await Assert.ThrowsAnyAsync<Exception>(() => client.Stream.WriteAsync(new byte[1], cts.Token).AsTask());
    }

    [Fact]
    public async Task DisposingListener_UnblocksPendingAccept()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var listener = await new TcpTransport().ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        var pending = listener.AcceptAsync(cts.Token).AsTask();
        await Task.Delay(50, cts.Token);
        await listener.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(cts.Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => listener.AcceptAsync(cts.Token).AsTask());
    }

    [Fact]
    public async Task CancellingAccept_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var listener = await new TcpTransport().ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), cts.Token);
        using var acceptCts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.AcceptAsync(acceptCts.Token).AsTask());
    }

    [Fact]
    public async Task Dial_TimesOutAgainstFullBacklog()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var stuck = await StuckListener.CreateAsync(cts.Token);
        if (stuck is null)
        {
            return; // the OS accepted every handshake; no deterministic way to stall a connect here
        }
        var transport = new TcpTransport(new TcpTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => transport.DialAsync(stuck.Address, cts.Token).AsTask());
        Assert.Contains(stuck.Address.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Dial_TimeoutIsDrivenByTimeProvider_AndCallerCancelIsNotATimeout()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var stuck = await StuckListener.CreateAsync(cts.Token);
        if (stuck is null)
        {
            return;
        }
        var time = new FakeTimeProvider();
        var transport = new TcpTransport(new TcpTransportOptions { ConnectTimeout = TimeSpan.FromSeconds(30) }, time);
        var dial = transport.DialAsync(stuck.Address, cts.Token).AsTask();
        await Task.Delay(200, cts.Token);
        Assert.False(dial.IsCompleted); // real time passes, fake time does not
        time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<TimeoutException>(() => dial.WaitAsync(cts.Token));

        using var callerCts = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var cancelled = transport.DialAsync(stuck.Address, callerCts.Token).AsTask();
        callerCts.CancelAfter(100);
        var oce = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(cts.Token));
        Assert.IsNotType<TimeoutException>(oce);
    }

    /// <summary>A listener that never accepts, with its accept queue filled so further SYNs are dropped.</summary>
    private sealed class StuckListener : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _fillers;

        private StuckListener(Socket listener, List<Socket> fillers)
        {
            _listener = listener;
            _fillers = fillers;
            Address = Multiaddr.FromEndPoint((IPEndPoint)listener.LocalEndPoint!);
        }

        public Multiaddr Address { get; }

        public static async Task<StuckListener?> CreateAsync(CancellationToken ct)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var fillers = new List<Socket>();
            for (var i = 0; i < 16; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(s);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(300);
                try
                {
                    await s.ConnectAsync(listener.LocalEndPoint!, attempt.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // this connect stalled: the queue is full
                    return new StuckListener(listener, fillers);
                }
            }
            foreach (var f in fillers)
            {
                f.Dispose();
            }
            listener.Dispose();
            return null;
        }

        public ValueTask DisposeAsync()
        {
            foreach (var f in _fillers)
            {
                f.Dispose();
            }
            _listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Resilink.Net.Addressing;
using Resilink.Net.Chaos;

namespace Resilink.Net.Tests.Chaos;

public sealed class FaultInjectingProxyTests
{
    private static readonly byte[] Hello = System.Text.Encoding.ASCII.GetBytes("hello");

    [Fact]
    public async Task PassThrough_OneMebibyteEachWay_ArrivesByteForByteAndClosesWithFin()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(server.EndPoint, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        var data = new byte[1 << 20];
        new Random(42).NextBytes(data);
        var write = Task.Run(async () =>
        {
            await client.Stream.WriteAsync(data, ct);
            client.Socket.Shutdown(SocketShutdown.Send);
        }, ct);
        var echoed = new byte[data.Length];
        await client.Stream.ReadExactlyAsync(echoed, ct);
        await write;

        Assert.True(data.AsSpan().SequenceEqual(echoed));
        Assert.Equal(0, await client.Stream.ReadAsync(new byte[1], ct)); // the echo server's FIN came through
        await connection.Closed.WaitAsync(ct);
        Assert.Equal(data.Length, connection.BytesToTarget);
        Assert.Equal(data.Length, connection.BytesToClient);
        Assert.Empty(proxy.Connections);
    }

    [Fact]
    public async Task Latency_DataArrivesOnlyOnceTheFakeClockHasAdvancedByTheLatency_EachWay()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        var time = new FakeTimeProvider();
        var latency = TimeSpan.FromMilliseconds(200);
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint, new FaultProfile { Latency = latency }, timeProvider: time, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        await client.Stream.WriteAsync(Hello, ct);
        await Wait.UntilAsync(() => connection.BytesFromClient == Hello.Length, ct);
        time.Advance(latency - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, connection.BytesToTarget);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(() => connection.BytesToTarget == Hello.Length, ct);

        // The echo comes back through the same delay in the other direction.
        await Wait.UntilAsync(() => connection.BytesFromTarget == Hello.Length, ct);
        var buffer = new byte[Hello.Length];
        var read = client.Stream.ReadExactlyAsync(buffer, ct).AsTask();
        time.Advance(latency - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, connection.BytesToClient);
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await read;
        Assert.Equal(Hello, buffer);
    }

    [Fact]
    public async Task Jitter_UsesTheInjectedRandomness()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        var time = new FakeTimeProvider();
        await using var server = ChaosTestServer.Echo();
        // random() = 0 maps to the low end of Latency ± Jitter: 100 - 50 = 50 ms.
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint,
            new FaultProfile { Latency = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(50) },
            timeProvider: time, random: () => 0.0, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        await client.Stream.WriteAsync(Hello, ct);
        await Wait.UntilAsync(() => connection.BytesFromClient == Hello.Length, ct);
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Equal(0, connection.BytesToTarget);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(() => connection.BytesToTarget == Hello.Length, ct);
    }

    [Fact]
    public async Task Bandwidth_ReleasesBytesAsTheTokenBucketRefills()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        var time = new FakeTimeProvider();
        await using var server = ChaosTestServer.Manual();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint,
            new FaultProfile { BandwidthBytesPerSecond = 1000, BandwidthBurstBytes = 100 },
            timeProvider: time, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        using var accepted = await server.AcceptAsync(ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        var data = new byte[500];
        new Random(7).NextBytes(data);
        await client.Stream.WriteAsync(data, ct);
        await Wait.UntilAsync(() => connection.BytesFromClient == data.Length, ct);

        // The bucket starts full: one burst goes at once, then 100 bytes per 100 ms.
        string Describe() => $"from client {connection.BytesFromClient}, to target {connection.BytesToTarget}, clock {time}";
        await Wait.UntilAsync(() => connection.BytesToTarget == 100, ct, Describe);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(100, connection.BytesToTarget);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Wait.UntilAsync(() => connection.BytesToTarget == 200, ct, Describe);
        for (var expected = 300; expected <= 500; expected += 100)
        {
            Assert.Equal(expected - 100, connection.BytesToTarget);
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Wait.UntilAsync(
                () => connection.BytesToTarget == expected, ct,
                () => $"expected {expected}, from client {connection.BytesFromClient}, to target {connection.BytesToTarget}, clock {time}");
        }

        var received = new byte[data.Length];
        using var serverStream = new NetworkStream(accepted, ownsSocket: false);
        await serverStream.ReadExactlyAsync(received, ct);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task BlackHole_WritesSucceedButNothingArrives_ClearingItDeliversTheHeldData()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(server.EndPoint, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);
        await RoundTripAsync(client, Hello, ct);

        connection.Faults = connection.Faults with { BlackHole = true };
        await client.Stream.WriteAsync(Hello, ct);
        await Wait.UntilAsync(() => connection.BytesFromClient == 2 * Hello.Length, ct);
        var buffer = new byte[Hello.Length];
        var read = client.Stream.ReadExactlyAsync(buffer, ct).AsTask();
        Assert.Equal(Hello.Length, connection.BytesToTarget);
        Assert.False(read.IsCompleted);
        Assert.True(client.Socket.Connected);

        connection.Faults = new FaultProfile();
        await read;
        Assert.Equal(Hello, buffer);
        await Wait.UntilAsync(() => connection.BytesToClient == 2 * Hello.Length, ct);
    }

    [Fact]
    public async Task DropRate_DiscardsChunksSilently_UntilCleared()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint, new FaultProfile { DropRate = 0.5 }, random: () => 0.25, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        await client.Stream.WriteAsync(Hello, ct);
        await Wait.UntilAsync(() => connection.BytesDropped == Hello.Length, ct);
        Assert.Equal(0, connection.BytesToTarget);

        connection.Faults = new FaultProfile();
        await RoundTripAsync(client, Hello, ct);
    }

    [Fact]
    public async Task ResetAfterBytes_ForwardsTheBudgetThenResetsTheClient()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Manual();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint, new FaultProfile { ResetAfterBytes = 10 }, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        using var accepted = await server.AcceptAsync(ct);
        var connection = await client.ConnectionAsync(proxy, ct);

        await client.Stream.WriteAsync(new byte[20], ct);

        var ex = await Assert.ThrowsAnyAsync<IOException>(() => DrainAsync(client.Stream, ct));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(ex.InnerException).SocketErrorCode);
        await connection.Closed.WaitAsync(ct);
        Assert.Equal(10, connection.BytesToTarget);
    }

    [Fact]
    public async Task ResetAfter_ResetsOnceTheFakeClockReachesTheDeadline()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        var time = new FakeTimeProvider();
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint, new FaultProfile { ResetAfter = TimeSpan.FromSeconds(1) }, timeProvider: time, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);
        await RoundTripAsync(client, Hello, ct);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(connection.Closed.IsCompleted);
        await RoundTripAsync(client, Hello, ct);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<IOException>(() => DrainAsync(client.Stream, ct));
        await connection.Closed.WaitAsync(ct);
    }

    [Fact]
    public async Task PerConnectionFaults_LeaveOtherConnectionsUntouched()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(server.EndPoint, ct: ct);
        using var slow = await ChaosClient.ConnectAsync(proxy, ct);
        using var healthy = await ChaosClient.ConnectAsync(proxy, ct);
        var slowConnection = await slow.ConnectionAsync(proxy, ct);
        var healthyConnection = await healthy.ConnectionAsync(proxy, ct);
        Assert.NotEqual(slowConnection.Id, healthyConnection.Id);
        Assert.Equal(2, proxy.Connections.Count);

        slowConnection.Faults = new FaultProfile { BlackHole = true, Latency = TimeSpan.FromSeconds(30) };
        await slow.Stream.WriteAsync(Hello, ct);
        await Wait.UntilAsync(() => slowConnection.BytesFromClient == Hello.Length, ct);

        await RoundTripAsync(healthy, Hello, ct);
        Assert.Equal(new FaultProfile(), healthyConnection.Faults);
        Assert.Equal(0, slowConnection.BytesToTarget);
        Assert.True(slowConnection.Faults.BlackHole);
    }

    [Fact]
    public async Task BlackHoleAll_AndSetDefaults_ApplyToOpenAndNewConnections()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            server.EndPoint, new FaultProfile { Jitter = TimeSpan.Zero, DropRate = 0 }, ct: ct);
        using var first = await ChaosClient.ConnectAsync(proxy, ct);
        var firstConnection = await first.ConnectionAsync(proxy, ct);

        proxy.BlackHoleAll();
        using var second = await ChaosClient.ConnectAsync(proxy, ct);
        var secondConnection = await second.ConnectionAsync(proxy, ct);
        Assert.True(firstConnection.Faults.BlackHole);
        Assert.True(secondConnection.Faults.BlackHole);

        proxy.SetDefaults(new FaultProfile());
        await RoundTripAsync(first, Hello, ct);
        await RoundTripAsync(second, Hello, ct);

        proxy.ResetAll();
        await Assert.ThrowsAnyAsync<IOException>(() => DrainAsync(first.Stream, ct));
        await Assert.ThrowsAnyAsync<IOException>(() => DrainAsync(second.Stream, ct));
    }

    [Fact]
    public async Task HalfClose_ClientFinReachesServer_AndTheServerCanStillReply()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Manual();
        await using var proxy = await FaultInjectingProxy.StartAsync(server.EndPoint, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        using var accepted = await server.AcceptAsync(ct);
        using var serverStream = new NetworkStream(accepted, ownsSocket: false);
        var connection = await client.ConnectionAsync(proxy, ct);

        await client.Stream.WriteAsync(Hello, ct);
        client.Socket.Shutdown(SocketShutdown.Send);
        var received = new byte[Hello.Length];
        await serverStream.ReadExactlyAsync(received, ct);
        Assert.Equal(Hello, received);
        Assert.Equal(0, await serverStream.ReadAsync(new byte[1], ct));

        await serverStream.WriteAsync(Hello, ct);
        var reply = new byte[Hello.Length];
        await client.Stream.ReadExactlyAsync(reply, ct);
        Assert.Equal(Hello, reply);
        Assert.False(connection.Closed.IsCompleted);

        accepted.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await client.Stream.ReadAsync(new byte[1], ct));
        await connection.Closed.WaitAsync(ct);
    }

    [Fact]
    public async Task FailedDial_ResetsTheClient()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        IPEndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)probe.LocalEndPoint!;
        }
        await using var proxy = await FaultInjectingProxy.StartAsync(closed, ct: ct);

        // The proxy accepts, fails to dial and resets: the reset can beat the client's own connect completion.
        var ex = await Record.ExceptionAsync(async () =>
        {
            using var client = await ChaosClient.ConnectAsync(proxy, ct);
            await DrainAsync(client.Stream, ct);
        });
        var socketError = Assert.IsType<SocketException>(ex is IOException io ? io.InnerException : ex);
        Assert.Equal(SocketError.ConnectionReset, socketError.SocketErrorCode);
        await Wait.UntilAsync(() => proxy.Connections.Count == 0, ct);
    }

    [Fact]
    public async Task DisposeAsync_StopsListeningAndResetsEveryConnection()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        var proxy = await FaultInjectingProxy.StartAsync(server.EndPoint, ct: ct);
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        var connection = await client.ConnectionAsync(proxy, ct);
        await RoundTripAsync(client, Hello, ct);

        await proxy.DisposeAsync();

        Assert.True(connection.Closed.IsCompleted);
        Assert.Empty(proxy.Connections);
        await Assert.ThrowsAnyAsync<IOException>(() => DrainAsync(client.Stream, ct));
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await late.ConnectAsync(proxy.ListenEndPoint, ct));
    }

    [Fact]
    public async Task MultiaddrOverload_DialsTheAddress_AndListenAddressIsIp4Tcp()
    {
        using var timeout = Wait.Timeout();
        var ct = timeout.Token;
        await using var server = ChaosTestServer.Echo();
        await using var proxy = await FaultInjectingProxy.StartAsync(
            Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{server.EndPoint.Port}"), ct: ct);

        Assert.Equal($"/ip4/127.0.0.1/tcp/{proxy.ListenEndPoint.Port}", proxy.ListenAddress.ToString());
        using var client = await ChaosClient.ConnectAsync(proxy, ct);
        await RoundTripAsync(client, Hello, ct);
        await Assert.ThrowsAsync<ArgumentException>(() => FaultInjectingProxy.StartAsync(Multiaddr.Parse("/ip4/127.0.0.1/udp/1")));
    }

    [Fact]
    public void FaultProfile_RejectsOutOfRangeValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProfile { DropRate = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProfile { DropRate = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProfile { Latency = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProfile { BandwidthBytesPerSecond = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultProfile { ResetAfterBytes = -1 });
    }

    private static async Task RoundTripAsync(ChaosClient client, byte[] payload, CancellationToken ct)
    {
        await client.Stream.WriteAsync(payload, ct);
        var echoed = new byte[payload.Length];
        await client.Stream.ReadExactlyAsync(echoed, ct);
        Assert.Equal(payload, echoed);
    }

    /// <summary>Reads until EOF; a reset surfaces as the <see cref="IOException"/> the tests expect.</summary>
    private static async Task DrainAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, ct) > 0)
        {
        }
    }
}

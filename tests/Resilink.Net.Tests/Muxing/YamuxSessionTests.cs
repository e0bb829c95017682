using Resilink.Net.Muxing.Yamux;

namespace Resilink.Net.Tests.Muxing;

public sealed class YamuxSessionTests
{
    private static CancellationTokenSource Timeout(int seconds = 10) => new(TimeSpan.FromSeconds(seconds));

    private static Task<int> ReadOneAsync(Stream stream, CancellationToken cancellationToken) => stream.ReadAsync(new byte[1], cancellationToken).AsTask();

    [Theory]
    [InlineData("memory")]
    [InlineData("tcp")]
    public async Task OpenStreamAsync_ClientOpens_ServerAcceptsOddIdAndEchoes(string transport)
    {
        using var cts = Timeout();
        await using var pair = await YamuxTestPair.CreateAsync(transport);
        Task echo = YamuxTestPair.EchoOneAsync(pair.Server, cts.Token);

        await using YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
        byte[] received = await YamuxTestPair.SendAndReceiveAllAsync(stream, [1, 2, 3], cts.Token);

        Assert.Equal(1u, stream.Id);
        Assert.Equal([1, 2, 3], received);
        await echo.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task OpenStreamAsync_ServerOpens_ClientAcceptsEvenId()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        Task echo = YamuxTestPair.EchoOneAsync(pair.Client, cts.Token);

        await using YamuxStream stream = await pair.Server.OpenStreamAsync(cts.Token);
        byte[] received = await YamuxTestPair.SendAndReceiveAllAsync(stream, [42], cts.Token);

        Assert.Equal(2u, stream.Id);
        Assert.Equal([42], received);
        await echo.WaitAsync(cts.Token);
    }

    [Theory]
    [InlineData("memory", 1)]
    [InlineData("memory", 64 * 1024)]
    [InlineData("memory", 16 * 1024 * 1024)]
    [InlineData("tcp", 1)]
    [InlineData("tcp", 64 * 1024)]
    [InlineData("tcp", 16 * 1024 * 1024)]
    public async Task WriteAsync_PayloadOfSize_EchoedByteForByte(string transport, int size)
    {
        using var cts = Timeout(30);
        await using var pair = await YamuxTestPair.CreateAsync(transport);
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);
        Task echo = YamuxTestPair.EchoOneAsync(pair.Server, cts.Token);

        await using YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
        byte[] received = await YamuxTestPair.SendAndReceiveAllAsync(stream, data, cts.Token);

        Assert.True(data.AsSpan().SequenceEqual(received), $"echo mismatch: sent {data.Length} bytes, received {received.Length}");
        await echo.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task OpenStreamAsync_HundredConcurrentStreams_AllEchoIndependently()
    {
        using var cts = Timeout(20);
        await using var pair = YamuxTestPair.CreateInMemory();
        Task server = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (int i = 0; i < 100; i++)
            {
                YamuxStream accepted = await pair.Server.AcceptStreamAsync(cts.Token);
                echoes.Add(Task.Run(async () =>
                {
                    await using (accepted)
                    {
                        await YamuxTestPair.EchoAsync(accepted, cts.Token);
                    }
                }));
            }

            await Task.WhenAll(echoes);
        });

        Task[] clients = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            byte[] data = new byte[10_000 + (i * 3_000)];
            new Random(i).NextBytes(data);
            await using YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
            byte[] received = await YamuxTestPair.SendAndReceiveAllAsync(stream, data, cts.Token);
            Assert.True(data.AsSpan().SequenceEqual(received), $"stream {stream.Id} corrupted");
        })).ToArray();

        await Task.WhenAll(clients).WaitAsync(cts.Token);
        await server.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task CloseWriteAsync_HalfClose_RemoteReadsZeroAndCanStillReply()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        await using YamuxStream client = await pair.Client.OpenStreamAsync(cts.Token);
        await client.WriteAsync(new byte[] { 7, 8 }, cts.Token);
        await client.CloseWriteAsync(cts.Token);

        await using YamuxStream server = await pair.Server.AcceptStreamAsync(cts.Token);
        byte[] request = await YamuxTestPair.ReadToEndAsync(server, cts.Token);
        await server.WriteAsync(new byte[] { 9 }, cts.Token);
        await server.CloseWriteAsync(cts.Token);
        byte[] reply = await YamuxTestPair.ReadToEndAsync(client, cts.Token);

        Assert.Equal([7, 8], request);
        Assert.Equal([9], reply);
        await Assert.ThrowsAsync<YamuxException>(async () => await client.WriteAsync(new byte[] { 1 }, cts.Token));
        Assert.Equal(0, await server.ReadAsync(new byte[1], cts.Token));
    }

    [Fact]
    public async Task Reset_LocalReset_RemoteReadAndLocalWriteThrowReset()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        YamuxStream client = await pair.Client.OpenStreamAsync(cts.Token);
        YamuxStream server = await pair.Server.AcceptStreamAsync(cts.Token);
        Task<int> pendingRead = server.ReadAsync(new byte[16], cts.Token).AsTask();

        client.Reset();

        var remote = await Assert.ThrowsAsync<YamuxStreamResetException>(() => pendingRead.WaitAsync(cts.Token));
        Assert.Contains("reset by the remote", remote.Message, StringComparison.Ordinal);
        var local = await Assert.ThrowsAsync<YamuxStreamResetException>(async () => await client.WriteAsync(new byte[] { 1 }, cts.Token));
        Assert.Contains("reset locally", local.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<YamuxStreamResetException>(async () => await server.WriteAsync(new byte[] { 1 }, cts.Token));
        Assert.False(pair.Client.IsClosed);
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public async Task Reset_AfterReset_StreamCountDropsAndSessionStillUsable()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        YamuxStream client = await pair.Client.OpenStreamAsync(cts.Token);
        YamuxStream server = await pair.Server.AcceptStreamAsync(cts.Token);
        client.Reset();
        await Assert.ThrowsAsync<YamuxStreamResetException>(() => ReadOneAsync(server, cts.Token));

        Assert.Equal(0, pair.Client.ActiveStreamCount);
        Assert.Equal(0, pair.Server.ActiveStreamCount);
        Task echo = YamuxTestPair.EchoOneAsync(pair.Server, cts.Token);
        await using YamuxStream again = await pair.Client.OpenStreamAsync(cts.Token);
        Assert.Equal([5], await YamuxTestPair.SendAndReceiveAllAsync(again, [5], cts.Token));
        await echo.WaitAsync(cts.Token);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("tcp")]
    public async Task PingAsync_OpenSession_ReturnsPositiveRtt(string transport)
    {
        using var cts = Timeout();
        await using var pair = await YamuxTestPair.CreateAsync(transport);

        TimeSpan rtt = await pair.Client.PingAsync(cts.Token);
        TimeSpan reverse = await pair.Server.PingAsync(cts.Token);

        Assert.InRange(rtt, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.InRange(reverse, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GoAwayAsync_RemoteGoAway_NewStreamsRejectedExistingFinish()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        await using YamuxStream existing = await pair.Client.OpenStreamAsync(cts.Token);
        await using YamuxStream accepted = await pair.Server.AcceptStreamAsync(cts.Token);

        await pair.Server.GoAwayAsync(YamuxGoAwayCode.Normal, cts.Token);
        await pair.Server.PingAsync(cts.Token); // frames are ordered: once the pong is back, the client has processed GoAway.
        await pair.Client.PingAsync(cts.Token);

        await Assert.ThrowsAsync<YamuxException>(async () => await pair.Client.OpenStreamAsync(cts.Token));
        await Assert.ThrowsAsync<YamuxException>(async () => await pair.Server.OpenStreamAsync(cts.Token));
        Task echo = YamuxTestPair.EchoAsync(accepted, cts.Token);
        Assert.Equal([1, 2], await YamuxTestPair.SendAndReceiveAllAsync(existing, [1, 2], cts.Token));
        await echo.WaitAsync(cts.Token);
        Assert.False(pair.Client.IsClosed);
    }

    [Fact]
    public async Task AcceptStreamAsync_InboundOverMaxConcurrentStreams_ExtraStreamResetOthersUnharmed()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory(serverOptions: new YamuxOptions { MaxConcurrentStreams = 2 });
        YamuxStream first = await pair.Client.OpenStreamAsync(cts.Token);
        YamuxStream second = await pair.Client.OpenStreamAsync(cts.Token);
        YamuxStream third = await pair.Client.OpenStreamAsync(cts.Token);

        await Assert.ThrowsAsync<YamuxStreamResetException>(() => ReadOneAsync(third, cts.Token));

        YamuxStream acceptedFirst = await pair.Server.AcceptStreamAsync(cts.Token);
        YamuxStream acceptedSecond = await pair.Server.AcceptStreamAsync(cts.Token);
        Task echoes = Task.WhenAll(YamuxTestPair.EchoAsync(acceptedFirst, cts.Token), YamuxTestPair.EchoAsync(acceptedSecond, cts.Token));
        Assert.Equal([1], await YamuxTestPair.SendAndReceiveAllAsync(first, [1], cts.Token));
        Assert.Equal([2], await YamuxTestPair.SendAndReceiveAllAsync(second, [2], cts.Token));
        await echoes.WaitAsync(cts.Token);
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public async Task OpenStreamAsync_InboundLimitReachedByPeer_OwnStreamsStillOpen()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory(serverOptions: new YamuxOptions { MaxConcurrentStreams = 1 });
        await using YamuxStream held = await pair.Client.OpenStreamAsync(cts.Token);
        await using YamuxStream accepted = await pair.Server.AcceptStreamAsync(cts.Token);

        // The client holds the server's only inbound slot; the server's outbound budget is separate.
        await using YamuxStream own = await pair.Server.OpenStreamAsync(cts.Token);
        await using YamuxStream ownAccepted = await pair.Client.AcceptStreamAsync(cts.Token);
        Assert.Equal(2, pair.Server.ActiveStreamCount);
        Task echo = YamuxTestPair.EchoAsync(ownAccepted, cts.Token);

        Assert.Equal([9], await YamuxTestPair.SendAndReceiveAllAsync(own, [9], cts.Token));
        await echo.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task OpenStreamAsync_OverMaxConcurrentStreams_ThrowsYamuxException()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory(clientOptions: new YamuxOptions { MaxConcurrentStreams = 1 });
        await using YamuxStream first = await pair.Client.OpenStreamAsync(cts.Token);

        var ex = await Assert.ThrowsAsync<YamuxException>(async () => await pair.Client.OpenStreamAsync(cts.Token));

        Assert.Contains(nameof(YamuxOptions.MaxConcurrentStreams), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_WithReason_StreamsFailAcceptThrowsCompletionCompletes()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
        Task<int> pendingRead = stream.ReadAsync(new byte[8], cts.Token).AsTask();
        var reason = new InvalidOperationException("test abort");

        pair.Client.Abort(reason);

        var readError = await Assert.ThrowsAsync<YamuxStreamResetException>(() => pendingRead.WaitAsync(cts.Token));
        Assert.Same(reason, readError.InnerException);
        await pair.Client.Completion.WaitAsync(cts.Token);
        Assert.Same(reason, pair.Client.CloseReason);
        Assert.True(pair.Client.IsClosed);
        await Assert.ThrowsAsync<YamuxException>(async () => await pair.Client.AcceptStreamAsync(cts.Token));
        await Assert.ThrowsAsync<YamuxException>(async () => await pair.Client.OpenStreamAsync(cts.Token));
        await pair.Server.Completion.WaitAsync(cts.Token); // the peer sees EOF and closes too
        Assert.IsAssignableFrom<IOException>(pair.Server.CloseReason);
    }

    [Fact]
    public async Task DisposeAsync_Graceful_RemoteSeesGoAwayThenClose()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        YamuxStream remote = await pair.Server.OpenStreamAsync(cts.Token);
        await pair.Client.AcceptStreamAsync(cts.Token);

        await pair.Client.DisposeAsync();

        await pair.Server.Completion.WaitAsync(cts.Token);
        await Assert.ThrowsAsync<YamuxStreamResetException>(() => ReadOneAsync(remote, cts.Token));
        Assert.True(pair.Client.Completion.IsCompleted);
        Assert.NotNull(pair.Client.CloseReason);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("tcp")]
    public async Task ReadAsync_RemoteTransportClosedMidRead_ThrowsIOExceptionPromptly(string transport)
    {
        using var cts = Timeout();
        await using var pair = await YamuxTestPair.CreateAsync(transport);
        YamuxStream stream = await pair.Client.OpenStreamAsync(cts.Token);
        await pair.Server.AcceptStreamAsync(cts.Token);
        Task<int> pendingRead = stream.ReadAsync(new byte[8], cts.Token).AsTask();

        pair.Server.Abort(new InvalidOperationException("simulated crash"));

        var ex = await Assert.ThrowsAnyAsync<IOException>(() => pendingRead.WaitAsync(cts.Token));
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        await pair.Client.Completion.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task Dispose_StreamWithUnreadData_ReleasesSlotAndSessionStaysHealthy()
    {
        using var cts = Timeout();
        await using var pair = YamuxTestPair.CreateInMemory();
        YamuxStream client = await pair.Client.OpenStreamAsync(cts.Token);
        YamuxStream server = await pair.Server.AcceptStreamAsync(cts.Token);
        await client.WriteAsync(new byte[1000], cts.Token);
        await server.ReadExactlyAsync(new byte[10], cts.Token); // 990 bytes stay unread

        await server.DisposeAsync();
        Assert.Equal(0, await client.ReadAsync(new byte[1], cts.Token)); // server's FIN
        await client.WriteAsync(new byte[1000], cts.Token); // discarded by the server, answered with RST
        await Assert.ThrowsAsync<YamuxStreamResetException>(async () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                await client.WriteAsync(new byte[1000], cts.Token);
                await pair.Client.PingAsync(cts.Token);
            }
        });

        Assert.Equal(0, pair.Server.ActiveStreamCount);
        Assert.False(pair.Server.IsClosed);
    }
}
